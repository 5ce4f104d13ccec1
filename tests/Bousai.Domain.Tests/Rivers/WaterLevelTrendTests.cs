using Bousai.Domain.Rivers;
using static Bousai.Domain.Rivers.TrendDirection;

namespace Bousai.Domain.Tests.Rivers;

public sealed class WaterLevelTrendTests
{
    private static readonly DateTimeOffset Latest = new(2022, 8, 3, 20, 50, 0, TimeSpan.FromHours(9));

    public static TheoryData<string, double, int?, double, TrendDirection, double?> Cases => new()
    {
        // name, latest m, earlier minutes before latest (null: none), earlier m, direction, m/h
        { "no earlier reading", 2.10, null, 0, Unknown, null },
        { "exactly 30 minutes, rising 10 cm", 2.10, 30, 2.00, Rising, 0.2 },
        { "exactly 30 minutes, falling 10 cm", 2.00, 30, 2.10, Falling, -0.2 },
        { "exactly 60 minutes is still usable", 2.30, 60, 2.00, Rising, 0.3 },
        { "61 minutes is too old", 2.30, 61, 2.00, Unknown, null },
        { "a day-old reading from a crisis gauge says nothing", 1.20, 24 * 60, 0.30, Unknown, null },
        { "no change is steady", 3.95, 30, 3.95, Steady, 0.0 },
        { "1 cm in 30 min is steady", 3.96, 30, 3.95, Steady, 0.02 },
        { "2 cm in 30 min is steady", 3.97, 30, 3.95, Steady, 0.04 },
        { "3 cm in 30 min is rising", 3.98, 30, 3.95, Rising, 0.06 },
        { "3 cm down in 30 min is falling", 3.92, 30, 3.95, Falling, -0.06 },
        { "2 cm down in 30 min is steady", 3.93, 30, 3.95, Steady, -0.04 },
        { "3 cm in 36 min is exactly the line: rising", 3.98, 36, 3.95, Rising, 0.05 },
        { "3 cm down in 36 min is exactly the line: falling", 3.92, 36, 3.95, Falling, -0.05 },
        { "3 cm in 40 min is under the line: steady", 3.98, 40, 3.95, Steady, 0.045 },
        { "tiny sensor jitter is steady", 1.2341, 30, 1.2340, Steady, 0.0002 },
        { "fast rise: 1 m in 45 min", 4.45, 45, 3.45, Rising, 1.333333 },
        { "levels below the gauge datum still give a rate", -0.10, 30, -0.20, Rising, 0.2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Trend_compares_the_latest_level_with_one_30_to_60_minutes_earlier(
        string _, double latestMetres, int? minutesBefore, double earlierMetres, TrendDirection direction, double? metresPerHour)
    {
        TimedLevel? earlier = minutesBefore is { } minutes ? new TimedLevel(Latest.AddMinutes(-minutes), earlierMetres) : null;

        var trend = WaterLevelTrend.Over30Minutes(new TimedLevel(Latest, latestMetres), earlier);

        Assert.Equal(direction, trend.Direction);
        if (metresPerHour is null)
        {
            Assert.Null(trend.MetresPerHour);
        }
        else
        {
            Assert.Equal(metresPerHour.Value, trend.MetresPerHour!.Value, 6);
        }
    }

    [Theory]
    [InlineData(29)]
    [InlineData(0)]
    [InlineData(-10)]
    public void An_earlier_reading_less_than_30_minutes_back_is_a_caller_error(int minutesBefore) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            WaterLevelTrend.Over30Minutes(new TimedLevel(Latest, 2.0), new TimedLevel(Latest.AddMinutes(-minutesBefore), 1.9)));

    [Fact]
    public void A_level_that_is_not_a_number_has_no_trend() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            WaterLevelTrend.Over30Minutes(new TimedLevel(Latest, double.NaN), new TimedLevel(Latest.AddMinutes(-30), 1.9)));
}
