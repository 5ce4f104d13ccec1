namespace Bousai.SensorsSim;

/// <summary>
/// Which stations report in a round. Most report every round. A 危機管理型水位計 (crisis gauge) reports every round only
/// while the river is at or above its observation_start level, and otherwise once a day, as the real ones do: its
/// silence while the river is low is not a fault, and the server must not call it stale.
/// </summary>
public sealed class ReportingSchedule
{
    public static readonly TimeSpan QuietReportInterval = TimeSpan.FromDays(1);

    private readonly Dictionary<string, DateTimeOffset> _lastReported = [];

    /// <summary>Whether the station reports <paramref name="value"/> observed at <paramref name="observedAt"/>; remembers it when it does.</summary>
    public bool Reports(SimulatedStation station, double value, DateTimeOffset observedAt)
    {
        var last = _lastReported.TryGetValue(station.Id, out var at) ? at : (DateTimeOffset?)null;
        if (!IsDue(station, value, last, observedAt)) return false;
        _lastReported[station.Id] = observedAt;
        return true;
    }

    /// <summary>The rule itself: a gauge reports when it always does, when it has never reported, when the river is high, or once a day.</summary>
    public static bool IsDue(SimulatedStation station, double value, DateTimeOffset? lastReported, DateTimeOffset observedAt) =>
        !station.ReportsDailyWhenLow
        || lastReported is null
        || !station.Thresholds.TryGetValue("observation_start", out var observationStart)
        || value >= observationStart
        || observedAt - lastReported.Value >= QuietReportInterval;
}
