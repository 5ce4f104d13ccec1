namespace Bousai.Domain.Rivers;

/// <summary>A water level in metres and when the gauge measured it.</summary>
public readonly record struct TimedLevel(DateTimeOffset ObservedAt, double Metres);

/// <summary>Which way a river is moving over the last 30 minutes. Unknown when there is no reading to compare with.</summary>
public enum TrendDirection
{
    Unknown,
    Falling,
    Steady,
    Rising,
}

/// <summary>
/// The trend of a water level over the last 30 minutes: the rate from an earlier reading to the latest one, in metres per
/// hour (positive when rising). Null rate with direction Unknown when no usable earlier reading exists.
/// </summary>
public sealed record WaterLevelTrend(TrendDirection Direction, double? MetresPerHour)
{
    /// <summary>The span the trend looks back over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    /// <summary>
    /// An earlier reading further back than this says little about the last 30 minutes (the gauge was silent, or a crisis
    /// gauge was reporting once a day), so the trend is Unknown rather than a rate averaged over hours.
    /// </summary>
    public static readonly TimeSpan OldestUsable = TimeSpan.FromMinutes(60);

    /// <summary>
    /// Rates smaller than this, either way, read as Steady. Gauges report whole centimetres and the surface ripples, so a
    /// 1–2 cm step in 30 minutes (0.02–0.04 m/h) is within what the gauge can resolve; 3 cm in 30 minutes (0.06 m/h)
    /// is a real movement and shows as rising or falling.
    /// </summary>
    public const double SteadyBelowMetresPerHour = 0.05;

    public static readonly WaterLevelTrend Unknown = new(TrendDirection.Unknown, null);

    /// <summary>
    /// The trend from <paramref name="earlier"/> to <paramref name="latest"/>. <paramref name="earlier"/> is the latest
    /// reading at or before <c>latest.ObservedAt − 30 min</c> (the caller finds it); when it is missing, or more than
    /// 60 min before the latest reading, the trend is Unknown. Otherwise rate = Δm / Δh, rounded to the micrometre per
    /// hour so that binary fractions do not put an exact boundary case (3 cm in 36 min = 0.05 m/h) a hair below the line;
    /// Steady when |rate| &lt; 0.05 m/h, else Rising or Falling.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The earlier reading is less than 30 minutes before the latest one,
    /// or a level is not a finite number.</exception>
    public static WaterLevelTrend Over30Minutes(TimedLevel latest, TimedLevel? earlier)
    {
        if (!double.IsFinite(latest.Metres))
        {
            throw new ArgumentOutOfRangeException(nameof(latest), latest.Metres, "a water level must be a finite number of metres");
        }

        if (earlier is not { } before)
        {
            return Unknown;
        }

        if (!double.IsFinite(before.Metres))
        {
            throw new ArgumentOutOfRangeException(nameof(earlier), before.Metres, "a water level must be a finite number of metres");
        }

        var span = latest.ObservedAt - before.ObservedAt;
        if (span < Window)
        {
            throw new ArgumentOutOfRangeException(nameof(earlier), before.ObservedAt,
                $"the earlier reading must be at least 30 minutes before the latest one ({latest.ObservedAt:O})");
        }

        if (span > OldestUsable)
        {
            return Unknown;
        }

        var rate = Math.Round((latest.Metres - before.Metres) / span.TotalHours, 6);
        var direction = Math.Abs(rate) < SteadyBelowMetresPerHour ? TrendDirection.Steady
            : rate > 0 ? TrendDirection.Rising
            : TrendDirection.Falling;
        return new WaterLevelTrend(direction, rate);
    }
}
