using Bousai.Domain.Rain;

namespace Bousai.Domain.Tests.Rain;

public sealed class RainTotalsTests
{
    private static readonly DateTimeOffset AsOf = new(2019, 10, 12, 21, 0, 0, TimeSpan.FromHours(9));

    /// <summary>10-minute samples of <paramref name="mm"/> ending every 10 minutes from <paramref name="firstEndsMinutesBefore"/>
    /// to <paramref name="lastEndsMinutesBefore"/> minutes before AsOf.</summary>
    private static (int, double, int)[] Every10Minutes(int firstEndsMinutesBefore, int lastEndsMinutesBefore, double mm) =>
        Enumerable.Range(0, (firstEndsMinutesBefore - lastEndsMinutesBefore) / 10 + 1)
            .Select(i => (firstEndsMinutesBefore - 10 * i, mm, 10))
            .ToArray();

    public static TheoryData<string, (int MinutesBefore, double Mm, int Interval)[], double, double, double, double, int?> Cases => new()
    {
        // name, samples (end minutes before AsOf, mm, interval), 10 min, 60 min, 24 h, continuous, continuous since (minutes before AsOf)
        { "no samples: all zero, no continuous rain", [], 0, 0, 0, 0, null },
        { "only zeros: all zero", Every10Minutes(300, 0, 0), 0, 0, 0, 0, null },
        { "1 mm every 10 minutes for 3 hours", Every10Minutes(170, 0, 1.0), 1, 6, 18, 18, 180 },
        { "a sample exactly 10 minutes back is outside the 10-minute window", [(10, 2.0, 10)], 0, 2, 2, 2, 20 },
        { "a sample exactly 60 minutes back is outside the 60-minute window", [(60, 2.0, 10)], 0, 0, 2, 2, 70 },
        { "a sample exactly 24 hours back is outside every window and continuous rain has reset", [(24 * 60, 2.0, 10)], 0, 0, 0, 0, null },
        { "rain that ended 23 h 50 min ago is still continuous rain", [(23 * 60 + 50, 2.0, 10)], 0, 0, 2, 2, 24 * 60 },
        { "samples after asOf are ignored", [(0, 1.0, 10), (-10, 50.0, 10), (-60, 50.0, 60)], 1, 1, 1, 1, 10 },
        { "unsorted samples give the same totals", [(20, 1.5, 10), (0, 0.5, 10), (10, 1.0, 10)], 0.5, 3, 3, 3, 30 },
        { "zeros before the rain do not move its start", [.. Every10Minutes(120, 70, 0), .. Every10Minutes(60, 0, 2.5)], 2.5, 15, 17.5, 17.5, 70 },
        { "decimal amounts add without binary tails", Every10Minutes(50, 0, 0.1), 0.1, 0.6, 0.6, 0.6, 60 },
        { "a 60-minute amount ending now counts whole in the 10-minute window", [(0, 30.0, 60)], 30, 30, 30, 30, 60 },
        { "a 60-minute amount ending 30 minutes ago counts in 60 minutes, not 10", [(30, 30.0, 60)], 0, 30, 30, 30, 90 },
        { "continuous rain starts at the start of its first 60-minute interval", [(180, 4.0, 60), (120, 5.0, 60), (60, 6.0, 60)], 0, 0, 15, 15, 240 },
        { "23 dry hours do not reset continuous rain", [(24 * 60, 10.0, 10), (50, 1.0, 10)], 0, 1, 1, 11, 24 * 60 + 10 },
        { "exactly 24 dry hours reset continuous rain", [(25 * 60, 10.0, 10), (50, 1.0, 10)], 0, 1, 1, 1, 60 },
        { "23 h 59 min dry does not", [(24 * 60 + 59, 10.0, 10), (50, 1.0, 10)], 0, 1, 1, 11, 24 * 60 + 69 },
        { "continuous rain can run longer than 24 hours", Every10Minutes(40 * 60 - 10, 0, 0.5), 0.5, 3, 72, 120, 40 * 60 },
        { "a day of rain then a dry day: continuous rain reset", Every10Minutes(48 * 60 - 10, 24 * 60, 1.0), 0, 0, 0, 0, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Totals_count_samples_ending_inside_each_window(
        string _, (int MinutesBefore, double Mm, int Interval)[] samples,
        double tenMinutes, double sixtyMinutes, double twentyFourHours, double continuous, int? continuousSinceMinutesBefore)
    {
        var totals = RainTotals.AsOf(AsOf, samples.Select(s => new RainSample(AsOf.AddMinutes(-s.MinutesBefore), s.Mm, s.Interval)));

        Assert.Equal(
            new RainTotals(tenMinutes, sixtyMinutes, twentyFourHours, continuous,
                continuousSinceMinutesBefore is { } m ? AsOf.AddMinutes(-m) : null),
            totals);
    }

    [Theory]
    [InlineData(-0.5, 10)]
    [InlineData(double.NaN, 10)]
    [InlineData(1.0, 0)]
    public void Impossible_samples_are_refused(double mm, int interval) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RainTotals.AsOf(AsOf, [new RainSample(AsOf, mm, interval)]));
}
