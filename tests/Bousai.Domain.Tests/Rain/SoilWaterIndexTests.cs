using Bousai.Domain.Rain;

namespace Bousai.Domain.Tests.Rain;

public sealed class SoilWaterIndexTests
{
    private static readonly DateTimeOffset BurstEnds = new(2022, 8, 3, 18, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset WeekBefore = BurstEnds.AddDays(-7);

    private static double After(IEnumerable<RainSample> samples, DateTimeOffset asOf) => SoilWaterIndex.After(samples, WeekBefore, asOf);

    public static TheoryData<string, double, int, double> Bursts => new()
    {
        // name, mm falling in the 10 minutes ending at BurstEnds, minutes after BurstEnds, expected index (mm)
        { "no rain: 0", 0, 60, 0 },
        // 10 mm stays under every side outlet (15 mm), so it leaves only through the 3rd tank's bottom: the index holds
        // almost all of it for hours and drains over days.
        // At the burst: the rain went in, nothing came out yet: 10.
        { "10 mm at the end of the burst", 10, 0, 10 },
        // +10 min by hand: 1st tank loses β1·S1·Δt = 0.12 × 10 / 6 = 0.2 to the 2nd; total still 9.8 + 0.2 = 10.
        { "10 mm, 10 minutes later", 10, 10, 10 },
        { "10 mm, 1 hour later", 10, 60, 9.999946 },
        { "10 mm, 6 hours later", 10, 6 * 60, 9.984429 },
        { "10 mm, 1 day later", 10, 24 * 60, 9.475640 },
        { "10 mm, 3 days later", 10, 72 * 60, 6.518302 },
        { "60 mm at the end of the burst", 60, 0, 60 },
        // +10 min by hand: side outlet 0.10 × (60 − 15) = 4.5 mm/h leaves; bottom 0.12 × 60 = 7.2 mm/h moves down.
        // 1st: 60 − (4.5 + 7.2) / 6 = 58.05; 2nd: 7.2 / 6 = 1.2; index 59.25.
        { "60 mm, 10 minutes later", 60, 10, 59.25 },
        // +20 min by hand: 1st side 0.10 × 43.05 = 4.305, bottom 0.12 × 58.05 = 6.966 → 1st 58.05 − 11.271 / 6 = 56.1715;
        // 2nd 1.2 + (6.966 − 0.05 × 1.2) / 6 = 2.351; 3rd 0.05 × 1.2 / 6 = 0.01; index 58.5325.
        { "60 mm, 20 minutes later", 60, 20, 58.5325 },
        { "60 mm, 1 hour later", 60, 60, 55.963990 },
        { "60 mm, 6 hours later", 60, 6 * 60, 46.358726 },
        { "60 mm, 1 day later", 60, 24 * 60, 38.119211 },
    };

    [Theory]
    [MemberData(nameof(Bursts))]
    public void A_burst_of_rain_fills_the_tanks_and_drains_slowly(string _, double mm, int minutesAfter, double expected) =>
        Assert.Equal(expected, After([new RainSample(BurstEnds, mm, 10)], BurstEnds.AddMinutes(minutesAfter)), 5);

    [Fact]
    public void After_a_burst_the_index_only_falls()
    {
        var samples = new[] { new RainSample(BurstEnds, 40, 10) };
        var hourly = Enumerable.Range(0, 72).Select(h => After(samples, BurstEnds.AddHours(h))).ToList();

        Assert.All(hourly.Zip(hourly.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"{pair.Second} after {pair.First}"));
    }

    [Fact]
    public void Constant_heavy_rain_converges_to_the_tanks_balance()
    {
        // 30 mm/h for 30 days. At balance inflow equals outflow in each tank (per hour):
        // 1st: 30 = 0.10(S1 − 15) + 0.15(S1 − 60) + 0.12 S1 → S1 = 40.5 / 0.37 = 109.459
        // 2nd: 0.12 S1 = 0.05(S2 − 15) + 0.05 S2 → S2 = (13.135 + 0.75) / 0.10 = 138.851
        // 3rd: 0.05 S2 = 0.01(S3 − 15) + 0.01 S3 → S3 = (6.943 + 0.15) / 0.02 = 354.628; index 602.939.
        var asOf = BurstEnds;
        var samples = Enumerable.Range(0, 30 * 24 * 6).Select(i => new RainSample(asOf.AddMinutes(-10 * i), 5, 10)).ToList();

        var balance = 40.5 / 0.37 + (0.12 * 40.5 / 0.37 + 0.75) / 0.10 + (0.05 * ((0.12 * 40.5 / 0.37 + 0.75) / 0.10) + 0.15) / 0.02;
        var index = SoilWaterIndex.After(samples, asOf.AddDays(-30), asOf);
        var dayBefore = SoilWaterIndex.After(samples, asOf.AddDays(-30), asOf.AddDays(-1));

        Assert.Equal(602.939, balance, 3);
        Assert.Equal(balance, index, 2);
        Assert.True(index - dayBefore is > 0 and < 0.001, $"still rising by {index - dayBefore} mm a day");
    }

    [Fact]
    public void Three_hours_at_30_mm_then_three_dry_hours()
    {
        var samples = Enumerable.Range(0, 18).Select(i => new RainSample(BurstEnds.AddMinutes(-10 * i), 5, 10)).ToList();

        Assert.Equal(82.699280, After(samples, BurstEnds), 5);
        Assert.Equal(69.750738, After(samples, BurstEnds.AddHours(3)), 5);
    }

    [Fact]
    public void A_60_minute_amount_is_spread_evenly_over_its_six_steps()
    {
        var sixSteps = Enumerable.Range(0, 6).Select(i => new RainSample(BurstEnds.AddMinutes(-10 * i), 10, 10)).ToList();
        var oneHour = new[] { new RainSample(BurstEnds, 60, 60) };

        Assert.Equal(After(sixSteps, BurstEnds.AddHours(2)), After(oneHour, BurstEnds.AddHours(2)), 9);
        Assert.NotEqual(After([new RainSample(BurstEnds, 60, 10)], BurstEnds.AddHours(2)), After(oneHour, BurstEnds.AddHours(2)), 3);
    }

    [Fact]
    public void Rain_outside_the_run_is_ignored()
    {
        var samples = new[]
        {
            new RainSample(WeekBefore, 50, 10),            // ends as the run starts: before the first step
            new RainSample(WeekBefore.AddHours(-1), 50, 60),
            new RainSample(BurstEnds.AddMinutes(10), 50, 10), // after asOf
        };

        Assert.Equal(0, After(samples, BurstEnds));
    }

    [Fact]
    public void Starting_from_empty_tanks_a_week_back_under_estimates_after_a_long_wet_spell()
    {
        // Heavy rain 8 to 9 days ago still holds water in the 3rd tank, which a run started 7 days ago never sees.
        var samples = Enumerable.Range(0, 6 * 24).Select(i => new RainSample(BurstEnds.AddDays(-8).AddMinutes(-10 * i), 5, 10)).ToList();

        var fromAWeekBack = SoilWaterIndex.After(samples, BurstEnds.AddDays(-7), BurstEnds);
        var fromAMonthBack = SoilWaterIndex.After(samples, BurstEnds.AddDays(-30), BurstEnds);

        Assert.Equal(0, fromAWeekBack);
        Assert.True(fromAMonthBack > 10, $"{fromAMonthBack}");
    }

    [Fact]
    public void A_run_of_no_length_is_zero() => Assert.Equal(0, SoilWaterIndex.After([new RainSample(BurstEnds, 10, 10)], BurstEnds, BurstEnds));

    [Fact]
    public void A_run_that_starts_after_it_ends_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SoilWaterIndex.After([], BurstEnds.AddMinutes(1), BurstEnds));
}
