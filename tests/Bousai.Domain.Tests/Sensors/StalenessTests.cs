using Bousai.Domain.Sensors;
using static Bousai.Domain.Sensors.Freshness;

namespace Bousai.Domain.Tests.Sensors;

public sealed class StalenessTests
{
    private static readonly DateTimeOffset LastHeard = new(2022, 8, 3, 12, 0, 0, TimeSpan.FromHours(9));

    [Theory]
    // normal gauge, 10-minute interval: stale after 2 × 10 + 5 = 25 minutes
    [InlineData("normal gauge just heard", 10, false, 0, Current)]
    [InlineData("normal gauge, one report missed", 10, false, 10, Current)]
    [InlineData("normal gauge at 25 minutes, exactly the limit", 10, false, 25, Current)]
    [InlineData("normal gauge at 26 minutes", 10, false, 26, Stale)]
    [InlineData("normal gauge silent for hours", 10, false, 180, Stale)]
    [InlineData("clock skew: now before last heard", 10, false, -3, Current)]
    // hourly gauge: stale after 2 × 60 + 5 = 125 minutes
    [InlineData("hourly gauge at 2 hours", 60, false, 120, Current)]
    [InlineData("hourly gauge at 2 h 6 min", 60, false, 126, Stale)]
    // crisis gauge whose last reading was below 観測開始: daily, stale after 2 × 24 h + 5 min = 2885 minutes
    [InlineData("crisis gauge 3 h after a low reading", 10, true, 3 * 60, Current)]
    [InlineData("crisis gauge 25 h after a low reading: one daily report missed", 10, true, 25 * 60, Current)]
    [InlineData("crisis gauge 48 h 5 min after a low reading, exactly the limit", 10, true, 48 * 60 + 5, Current)]
    [InlineData("crisis gauge 49 h after a low reading", 10, true, 49 * 60, Stale)]
    // crisis gauge whose last reading was high reports every 10 minutes like any gauge
    [InlineData("crisis gauge 3 h after a high reading", 10, false, 3 * 60, Stale)]
    [InlineData("crisis gauge 20 minutes after a high reading", 10, false, 20, Current)]
    public void A_station_is_stale_after_missing_two_reports(string _, int intervalMinutes, bool reportsDailyWhenLow, int minutesLater, Freshness expected) =>
        Assert.Equal(expected, Staleness.Of(LastHeard, TimeSpan.FromMinutes(intervalMinutes), reportsDailyWhenLow, LastHeard.AddMinutes(minutesLater)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_station_never_heard_has_no_data_not_a_stale_zero(bool reportsDailyWhenLow)
    {
        Assert.Equal(NoData, Staleness.Of(null, TimeSpan.FromMinutes(10), reportsDailyWhenLow, LastHeard));
        Assert.Null(Staleness.StaleAfter(null, TimeSpan.FromMinutes(10), reportsDailyWhenLow));
    }

    [Theory]
    [InlineData(10, false, 25)]
    [InlineData(10, true, 48 * 60 + 5)]
    [InlineData(72 * 60, true, 144 * 60 + 5)]
    public void Stale_after_is_two_intervals_and_five_minutes(int intervalMinutes, bool reportsDailyWhenLow, int staleAfterMinutes) =>
        Assert.Equal(LastHeard.AddMinutes(staleAfterMinutes), Staleness.StaleAfter(LastHeard, TimeSpan.FromMinutes(intervalMinutes), reportsDailyWhenLow));

    [Theory]
    [InlineData(0)]
    [InlineData(-10)]
    public void An_interval_that_is_not_positive_is_refused(int intervalMinutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Staleness.Of(LastHeard, TimeSpan.FromMinutes(intervalMinutes), false, LastHeard));
}
