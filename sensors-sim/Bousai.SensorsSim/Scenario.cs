namespace Bousai.SensorsSim;

/// <summary>
/// A past event replayed as SYNTHETIC readings. Only the marks are real (times and figures from the domain guide);
/// hourly curves were never published, so rain and river curves are made up to fit them. Everything here is a
/// pure function of the station and the scenario time: a re-run publishes the same values for the same times.
/// </summary>
public sealed record Scenario
{
    /// <summary>Gauges report every 10 minutes; each rain amount is what fell in the 10 minutes up to its time.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(10);

    /// <summary>The name on the command line: --scenario 2022-08.</summary>
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary>The window replayed, in the event's own calendar time (JST).</summary>
    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required RainStorm Rain { get; init; }

    /// <summary>How rivers behave, by gauge type (standard, crisis); a gauge type not listed stays quiet.</summary>
    public required IReadOnlyDictionary<string, RiverCourse> Rivers { get; init; }

    /// <summary>Real moments of the event, to print where they fall on the replayed timeline.</summary>
    public required IReadOnlyList<ScenarioMark> Marks { get; init; }

    /// <summary>What is real about the scenario, in one line for the console.</summary>
    public required string Facts { get; init; }

    public TimeSpan Duration => End - Start;

    /// <summary>Scenario times of the readings: every 10 minutes after Start, the last one at End.</summary>
    public IEnumerable<DateTimeOffset> ReadingTimes => Enumerable.Range(1, (int)(Duration / Step)).Select(k => Start + k * Step);

    public double Value(SimulatedStation station, DateTimeOffset at) =>
        station.Kind == SimulatedStation.WaterLevel ? WaterLevel(station, at) : Rainfall(station, at);

    /// <summary>Metres: the quiet level swelling towards the crest its gauge type reaches, shaped by the station's own thresholds.</summary>
    public double WaterLevel(SimulatedStation station, DateTimeOffset at)
    {
        var quiet = SteadyWeather.WaterLevel(station, at);
        if (!Rivers.TryGetValue(station.GaugeType, out var course) || course.Crest.HeightAt(station) is not { } crest) return quiet;
        return Math.Round(quiet + (crest - quiet) * course.Swell(station, at), 2);
    }

    /// <summary>
    /// Millimetres in the 10 minutes to <paramref name="at"/>: the storm's time course, roughened per station and time,
    /// scaled so the readings of the window add up to the station's 24-hour total; 0.5 mm steps as a tipping bucket counts.
    /// </summary>
    public double Rainfall(SimulatedStation station, DateTimeOffset at)
    {
        var total = ReadingTimes.Sum(t => RoughIntensity(station, t));
        var amount = total > 0 ? Rain.TotalAt(station) * RoughIntensity(station, at) / total : 0;
        return Math.Round(amount * 2, MidpointRounding.AwayFromZero) / 2;
    }

    private double RoughIntensity(SimulatedStation station, DateTimeOffset at) =>
        Rain.Intensity(at) * (0.5 + SyntheticNoise.At(station.Id, at));
}

/// <summary>
/// Where and when the rain fell: a station's total falls off with its distance from the storm's centre, and the
/// time course is a sum of bursts (bell curves).
/// </summary>
public sealed record RainStorm(string CentreName, double CentreLongitude, double CentreLatitude,
    double CentreTotalMillimetres, double FalloffKilometres, IReadOnlyList<RainBurst> Bursts)
{
    public double TotalAt(SimulatedStation station) => CentreTotalMillimetres * Math.Exp(-DistanceKilometres(station) / FalloffKilometres);

    public double DistanceKilometres(SimulatedStation station)
    {
        var north = (station.Latitude - CentreLatitude) * 110.57;
        var east = (station.Longitude - CentreLongitude) * 111.32 * Math.Cos((station.Latitude + CentreLatitude) / 2 * Math.PI / 180);
        return Math.Sqrt(north * north + east * east);
    }

    /// <summary>Relative rain rate at a time (only its shape matters).</summary>
    public double Intensity(DateTimeOffset at) => Bursts.Sum(b =>
    {
        var z = (at - b.At) / b.Spread;
        return b.Share * Math.Exp(-z * z / 2) / b.Spread.TotalHours;
    });
}

/// <summary>A spell of rain: centred on <paramref name="At"/>, most of it within ± <paramref name="Spread"/>, carrying that share of the total.</summary>
public sealed record RainBurst(DateTimeOffset At, TimeSpan Spread, double Share);

/// <summary>
/// How rivers of one gauge type run through a scenario: quiet until <paramref name="RiseFrom"/>, rising ever faster to a
/// crest at a time between <paramref name="CrestFrom"/> and <paramref name="CrestTo"/> (each station at its own, fixed
/// time in that window), then receding exponentially with time constant <paramref name="Recession"/>.
/// </summary>
public sealed record RiverCourse(DateTimeOffset RiseFrom, DateTimeOffset CrestFrom, DateTimeOffset CrestTo, Crest Crest, TimeSpan Recession)
{
    public DateTimeOffset CrestTimeOf(SimulatedStation station) => CrestFrom + (CrestTo - CrestFrom) * SyntheticNoise.Phase(station.Id);

    /// <summary>0 while quiet, 1 at the crest.</summary>
    public double Swell(SimulatedStation station, DateTimeOffset at)
    {
        var crestAt = CrestTimeOf(station);
        if (at <= RiseFrom) return 0;
        if (at <= crestAt)
        {
            var rise = (at - RiseFrom) / (crestAt - RiseFrom);
            return rise * rise;
        }

        return Math.Exp(-((at - crestAt) / Recession));
    }
}

/// <summary>
/// The height a river crests at, from the station's own thresholds: <see cref="Above"/> one by some metres, or
/// <see cref="Between"/> two. Never a constant per station: the thresholds are data.
/// </summary>
public sealed record Crest(string Threshold, double MetresAbove, string? Toward, double Fraction)
{
    public static Crest Above(string threshold, double metres) => new(threshold, metres, null, 0);

    public static Crest Between(string lower, string upper, double fraction) => new(lower, 0, upper, fraction);

    /// <summary>Metres, or null when the station lacks a threshold this crest is defined by.</summary>
    public double? HeightAt(SimulatedStation station)
    {
        if (!station.Thresholds.TryGetValue(Threshold, out var lower)) return null;
        if (Toward is null) return lower + MetresAbove;
        return station.Thresholds.TryGetValue(Toward, out var upper) ? lower + (upper - lower) * Fraction : null;
    }
}

/// <summary>A real moment of the event (JST), e.g. 2022-08-03 19:15 大雨特別警報.</summary>
public sealed record ScenarioMark(DateTimeOffset At, string Label);
