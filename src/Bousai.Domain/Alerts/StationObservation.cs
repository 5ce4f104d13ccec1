namespace Bousai.Domain.Alerts;

/// <summary>
/// What the server knows about a station at <see cref="At"/>, handed to a threshold rule. The time comes in the
/// observation: rules read no clock. A null or NaN value is unknown and decides nothing.
/// </summary>
public abstract record StationObservation(DateTimeOffset At);

/// <summary>The river's level in metres above the gauge datum.</summary>
public sealed record RiverLevelObservation(DateTimeOffset At, double? Metres) : StationObservation(At);

/// <summary>Rain fallen over the 60 minutes ending at <see cref="StationObservation.At"/>, in mm.</summary>
public sealed record SixtyMinuteRainObservation(DateTimeOffset At, double? Millimetres) : StationObservation(At);

/// <summary>The inputs of the town's own landslide estimate: 60-minute rain in mm and the soil water index.</summary>
public sealed record LandslideObservation(DateTimeOffset At, double? SixtyMinuteMm, double? SoilWaterIndex) : StationObservation(At);

/// <summary>
/// When the server last heard the station, looked at from <see cref="StationObservation.At"/> (the server evaluates
/// this on its own schedule, since silence sends no message). <paramref name="ReportsDailyWhenLow"/>: a crisis gauge
/// whose last reading was below 観測開始水位.
/// </summary>
public sealed record StationHeardObservation(DateTimeOffset At, DateTimeOffset? LastHeard, bool ReportsDailyWhenLow) : StationObservation(At);
