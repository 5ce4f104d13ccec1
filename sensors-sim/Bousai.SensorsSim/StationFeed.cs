using System.Globalization;
using static System.FormattableString;

namespace Bousai.SensorsSim;

/// <summary>
/// Rounds of readings for the stations in the geodata: every station once per round, except that a crisis gauge
/// reports while the river is low only once a day (<see cref="ReportingSchedule"/>), in scenario and steady rounds alike.
/// </summary>
public sealed class StationFeed(ReadingPublisher publisher, IReadOnlyList<SimulatedStation> stations)
{
    private static readonly TimeSpan JapanTime = TimeSpan.FromHours(9);
    private readonly ReportingSchedule _schedule = new();
    private readonly Dictionary<string, double> _rainSinceStart = [];

    public IReadOnlyList<SimulatedStation> Stations => stations;

    public long Published { get; private set; }

    /// <summary>Publishes one round observed at <paramref name="observedAt"/>; returns each station's value and whether it reported.</summary>
    public async Task<IReadOnlyList<StationValue>> PublishRoundAsync(DateTimeOffset observedAt, Func<SimulatedStation, double> valueOf, CancellationToken cancellationToken)
    {
        var round = new List<StationValue>(stations.Count);
        foreach (var station in stations)
        {
            var value = valueOf(station);
            var reports = _schedule.Reports(station, value, observedAt);
            if (reports)
            {
                await publisher.PublishAsync(ReadingMessage.For(station, observedAt, value), cancellationToken);
                Published++;
                if (station.Kind == SimulatedStation.Rain) _rainSinceStart[station.Id] = _rainSinceStart.GetValueOrDefault(station.Id) + value;
            }

            round.Add(new StationValue(station, value, reports));
        }

        return round;
    }

    /// <summary>Rivers with the stage they reached, then rain in the 10 minutes and since the run started.</summary>
    public string Describe(IReadOnlyList<StationValue> round)
    {
        var rivers = round.Where(r => r.Station.Kind == SimulatedStation.WaterLevel).Select(r =>
            !r.Reported ? $"{r.Station.Name} silent (low: reports daily)"
            : r.Station.StageAt(r.Value) is { } stage ? Invariant($"{r.Station.Name} {r.Value:0.00} m ≥ {stage}")
            : Invariant($"{r.Station.Name} {r.Value:0.00} m"));
        var rain = round.Where(r => r.Station.Kind == SimulatedStation.Rain && r.Reported)
            .Select(r => Invariant($"{r.Station.Name} {r.Value:0.0} (Σ {_rainSinceStart.GetValueOrDefault(r.Station.Id):0.0})"));
        return $"{string.Join(" · ", rivers)} | rain mm/10 min: {string.Join(" · ", rain)}";
    }

    public static string Jst(DateTimeOffset at) => at.ToOffset(JapanTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

public readonly record struct StationValue(SimulatedStation Station, double Value, bool Reported);
