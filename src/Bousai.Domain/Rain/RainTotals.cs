namespace Bousai.Domain.Rain;

/// <summary>
/// Rain a gauge measured over one interval: <see cref="Millimetres"/> fell in the <see cref="IntervalMinutes"/> minutes
/// that END at <see cref="ObservedAt"/> (typically 10 minutes; some gauges send 60-minute amounts).
/// </summary>
public readonly record struct RainSample(DateTimeOffset ObservedAt, double Millimetres, int IntervalMinutes)
{
    /// <summary>When the interval this amount fell in began.</summary>
    public DateTimeOffset StartsAt => ObservedAt.AddMinutes(-IntervalMinutes);

    /// <summary>Refuses amounts no gauge can measure; the ingest should have dead-lettered them already.</summary>
    internal RainSample Checked()
    {
        if (!double.IsFinite(Millimetres) || Millimetres < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Millimetres), Millimetres, $"rain at {ObservedAt:O} must be a finite, non-negative number of mm");
        }

        if (IntervalMinutes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntervalMinutes), IntervalMinutes, $"rain at {ObservedAt:O} must cover a positive number of minutes");
        }

        return this;
    }
}

/// <summary>
/// A rain gauge's totals as of its latest observation: 10-minute, 60-minute and 24-hour rain, and continuous rain
/// (累加雨量, reset after 24 h without rain) with the time it began.
/// </summary>
public sealed record RainTotals(double TenMinutes, double SixtyMinutes, double TwentyFourHours, double Continuous, DateTimeOffset? ContinuousSince)
{
    /// <summary>A dry spell this long ends continuous rain (累加雨量), as the domain guide defines it.</summary>
    public static readonly TimeSpan DrySpellThatResets = TimeSpan.FromHours(24);

    public static readonly RainTotals None = new(0, 0, 0, 0, null);

    /// <summary>
    /// Totals with every window ending at <paramref name="asOf"/> (the caller passes the station's latest observation
    /// time, not the clock, so a silent gauge's last totals do not drain away). Rules:
    /// <list type="bullet">
    /// <item>A sample counts in a window when its <see cref="RainSample.ObservedAt"/> is in (asOf − window, asOf].</item>
    /// <item>Simplification: a sample with a longer interval (e.g. a 60-minute amount) counts whole in every window its
    /// end falls in, so a 60-minute amount ending at asOf also shows as the 10-minute total. Splitting it would invent a
    /// distribution the gauge did not measure.</item>
    /// <item>Continuous rain: the total since rain began after a dry spell of at least 24 h; 0 once 24 h have passed at
    /// asOf since the end of the last rain. The spell between two rains is measured from the end of the earlier interval
    /// to the start of the later one. <see cref="ContinuousSince"/> is the start of the first interval of that rain
    /// (ObservedAt − IntervalMinutes), or null when there is none. Missing data counts as dry, and the total can only
    /// reach as far back as the samples passed in.</item>
    /// <item>Samples may be unsorted and include zeros; samples after asOf are ignored. One sample per interval: re-sent
    /// duplicates are the caller's to remove.</item>
    /// </list>
    /// Totals are rounded to 0.001 mm so sums of decimal amounts do not show binary-fraction tails.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A sample has a negative or non-finite amount or a non-positive interval.</exception>
    public static RainTotals AsOf(DateTimeOffset asOf, IEnumerable<RainSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var known = samples.Select(s => s.Checked()).Where(s => s.ObservedAt <= asOf).ToList();

        double Within(TimeSpan window) => Round(known.Where(s => s.ObservedAt > asOf - window).Sum(s => s.Millimetres));

        var (continuous, since) = ContinuousRain(asOf, known);
        return new RainTotals(
            Within(TimeSpan.FromMinutes(10)),
            Within(TimeSpan.FromMinutes(60)),
            Within(TimeSpan.FromHours(24)),
            continuous,
            since);
    }

    private static (double Millimetres, DateTimeOffset? Since) ContinuousRain(DateTimeOffset asOf, List<RainSample> known)
    {
        var wet = known.Where(s => s.Millimetres > 0).OrderByDescending(s => s.ObservedAt).ToList();
        if (wet.Count == 0 || asOf - wet[0].ObservedAt >= DrySpellThatResets)
        {
            return (0, null);
        }

        var since = wet[0].StartsAt;
        var total = wet[0].Millimetres;
        foreach (var sample in wet.Skip(1))
        {
            if (since - sample.ObservedAt >= DrySpellThatResets)
            {
                break;
            }

            total += sample.Millimetres;
            if (sample.StartsAt < since)
            {
                since = sample.StartsAt;
            }
        }

        return (Round(total), since);
    }

    private static double Round(double millimetres) => Math.Round(millimetres, 3);
}
