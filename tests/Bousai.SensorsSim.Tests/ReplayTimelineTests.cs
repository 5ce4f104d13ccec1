namespace Bousai.SensorsSim.Tests;

/// <summary>Where a replay's readings fall in real time: in the past, catching up with now, never ahead of the clock.</summary>
public sealed class ReplayTimelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 14, 15, 678, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Theory]
    [InlineData(60, 23.6)]
    [InlineData(3600, 24 - 24.0 / 3600)]
    [InlineData(1, 0)]
    public void A_replay_starts_in_the_past_by_its_duration_less_the_time_it_takes_to_play(double speed, double hoursBack)
    {
        var timeline = ReplayTimeline.EndingNow(Now, Day, speed);

        var expected = Now - TimeSpan.FromHours(hoursBack);
        Assert.InRange(timeline.ObservedStart, expected.AddSeconds(-1), expected);
        Assert.Equal(0, timeline.ObservedStart.UtcTicks % TimeSpan.TicksPerSecond);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    [InlineData(36000)]
    public void The_last_reading_is_observed_when_it_is_published_at_the_end_of_the_replay(double speed)
    {
        var timeline = ReplayTimeline.EndingNow(Now, Day, speed);

        Assert.Equal(Now + Day / speed, timeline.DueAt(Day));
        Assert.InRange(timeline.DueAt(Day) - timeline.ObservedAt(Day), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1.5)]
    [InlineData(60)]
    [InlineData(36000)]
    public void No_reading_is_ever_observed_after_the_moment_it_is_due(double speed)
    {
        var timeline = ReplayTimeline.EndingNow(Now, Day, speed);

        Assert.All(Enumerable.Range(0, 145).Select(k => TimeSpan.FromMinutes(10 * k)),
            offset => Assert.True(timeline.ObservedAt(offset) <= timeline.DueAt(offset), $"{offset}: {timeline.ObservedAt(offset)} > {timeline.DueAt(offset)}"));
    }

    [Fact]
    public void A_scenario_moment_maps_onto_the_replay_by_its_offset_from_the_start()
    {
        var scenario = Scenarios.Named("2022-08");
        var timeline = ReplayTimeline.EndingNow(Now, scenario.Duration, 60);
        var warning = new DateTimeOffset(2022, 8, 3, 19, 15, 0, TimeSpan.FromHours(9));

        Assert.Equal(timeline.ObservedStart + TimeSpan.FromHours(13.25), timeline.ObservedAt(warning - scenario.Start));
        Assert.Equal(Now + TimeSpan.FromHours(13.25) / 60, timeline.DueAt(warning - scenario.Start));
    }

    [Fact]
    public void Steady_weather_after_a_replay_goes_on_in_real_time_from_its_last_reading_so_observedAt_never_goes_back()
    {
        var replay = ReplayTimeline.EndingNow(Now, Day, 60);
        var observed = Enumerable.Range(1, 144).Select(k => replay.ObservedAt(TimeSpan.FromMinutes(10 * k))).ToList();
        var steady = ReplayTimeline.RealTimeFrom(observed[^1]);
        observed.AddRange(Enumerable.Range(1, 3).Select(k => steady.ObservedAt(TimeSpan.FromMinutes(10 * k))));

        Assert.Equal(observed.Order(), observed);
        Assert.Equal(observed.Count, observed.Distinct().Count());
        Assert.All(Enumerable.Range(1, 3).Select(k => TimeSpan.FromMinutes(10 * k)), o => Assert.Equal(steady.ObservedAt(o), steady.DueAt(o)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    public void A_replay_slower_than_real_time_is_refused(double speed) =>
        Assert.Throws<ArgumentException>(() => ReplayTimeline.EndingNow(Now, Day, speed));
}
