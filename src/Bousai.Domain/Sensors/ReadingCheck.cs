namespace Bousai.Domain.Sensors;

/// <summary>What a gauge measures: the river's level in metres above the gauge datum, or rain fallen in an interval.</summary>
public enum Quantity
{
    WaterLevel,
    Rainfall,
}

/// <summary>Why a reading is refused. Each refused reading goes to the dead letters with this reason, never into readings.</summary>
public enum ReadingProblem
{
    NotFinite,
    OutOfBounds,
    MissingUnit,
    WrongUnit,
    BadInterval,
    FutureTimestamp,
    OlderThanRetention,
}

/// <summary>The physical checks every reading passes before it is stored.</summary>
public static class ReadingCheck
{
    /// <summary>A gauge clock may run a little fast; further ahead than this is a broken clock or a wrong offset.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Below the gauge datum is possible (the datum is arbitrary), tens of metres above it is not: the highest river
    /// gauges in Japan read under 25 m. The bounds catch unit slips (centimetres sent as metres) and sensor faults.
    /// </summary>
    public const double MinWaterLevelMetres = -20;
    public const double MaxWaterLevelMetres = 60;

    /// <summary>Japan's records are about 50 mm in 10 minutes and 150 mm in an hour: 6 mm a minute is never real.</summary>
    public const double MaxRainfallMillimetresPerMinute = 6;

    public const int MaxIntervalMinutes = 1440;

    public static string UnitOf(Quantity quantity) => quantity == Quantity.WaterLevel ? "m" : "mm";

    /// <summary>The first problem with a reading, or null when it may be stored.</summary>
    public static ReadingProblem? Check(Quantity quantity, double value, string? unit, int intervalMinutes,
        DateTimeOffset observedAt, DateTimeOffset now, TimeSpan retention)
    {
        if (string.IsNullOrEmpty(unit)) return ReadingProblem.MissingUnit;
        if (unit != UnitOf(quantity)) return ReadingProblem.WrongUnit;
        if (!double.IsFinite(value)) return ReadingProblem.NotFinite;
        if (intervalMinutes is < 1 or > MaxIntervalMinutes) return ReadingProblem.BadInterval;
        var inBounds = quantity == Quantity.WaterLevel
            ? value is >= MinWaterLevelMetres and <= MaxWaterLevelMetres
            : value >= 0 && value <= MaxRainfallMillimetresPerMinute * intervalMinutes;
        if (!inBounds) return ReadingProblem.OutOfBounds;
        if (observedAt > now + FutureTolerance) return ReadingProblem.FutureTimestamp;
        if (observedAt < now - retention) return ReadingProblem.OlderThanRetention;
        return null;
    }
}
