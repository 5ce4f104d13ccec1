using Bousai.Server.Sensors;
using Npgsql;

namespace Bousai.Server.Tests.Sensors;

/// <summary>The pure rules under ingestion: what a dead letter may hold, which topics are refused, when ingestion is stuck.</summary>
public sealed class IngestionRulesTests
{
    [Theory]
    [InlineData("sta\0tion", 100, "sta\\u0000tion")]
    [InlineData("水位\uD83C\uDF0A", 100, "水位\uD83C\uDF0A")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("ab\uD83C\uDF0A", 3, "ab")]
    [InlineData("ab\0", 4, "ab\\u")]
    public void Dead_letter_text_escapes_NUL_replaces_lone_surrogates_and_is_bounded(string text, int max, string expected)
    {
        var safe = DeadLetterText.Safe(text, max);

        Assert.Equal(expected, safe);
        Assert.True(safe.Length <= max);
        Assert.DoesNotContain('\0', safe);
    }

    [Fact]
    public void Dead_letter_text_replaces_a_lone_surrogate_with_the_replacement_character()
    {
        // Built at run time: attribute arguments cannot carry a lone surrogate.
        Assert.Equal("a\uFFFDb", DeadLetterText.Safe("a" + (char)0xD800 + "b", 100));
        Assert.Equal("a\uFFFD", DeadLetterText.Safe("a" + (char)0xDC00, 100));
        Assert.Equal("\uFFFD\uFFFD", DeadLetterText.Safe(new string([(char)0xDC00, (char)0xD800]), 100));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("bousai/v1/stations/sta\0tion/water_level", "NUL")]
    [InlineData("bousai/v1/stations/\uFFFD/water_level", "UTF-8")]
    [InlineData("bousai/v1/stations/+/water_level", "wildcards")]
    [InlineData("bousai/v1/stations/#", "wildcards")]
    [InlineData("bousai/v1/stations/x/water_level/extra", "6 levels")]
    public void Topics_that_can_never_be_a_gauge_are_named_for_what_is_wrong(string topic, string says)
    {
        Assert.Contains(says, SensorMessages.TopicProblem(topic));
    }

    [Fact]
    public void Long_and_deep_topics_are_refused_and_the_contract_topic_is_not()
    {
        Assert.Contains("65535", SensorMessages.TopicProblem("bousai/v1/stations/" + new string('a', 65_600) + "/water_level"));
        Assert.Contains("2000 levels", SensorMessages.TopicProblem(string.Join('/', Enumerable.Repeat("a", 2_000))));
        Assert.Contains("UTF-8", SensorMessages.TopicProblem("bousai/v1/stations/" + (char)0xD800 + "/water_level"));
        Assert.Null(SensorMessages.TopicProblem("bousai/v1/stations/station-nakahashi/water_level"));
    }

    [Theory]
    [InlineData("42501", true)] // insufficient_privilege: a revoked grant
    [InlineData("42P01", true)] // undefined_table
    [InlineData("53100", true)] // disk_full
    [InlineData("57P01", true)] // admin_shutdown
    [InlineData("40P01", true)] // deadlock_detected: transient
    [InlineData("22021", false)] // character_not_in_repertoire: this message's text
    [InlineData("23514", false)] // check_violation: this message's values
    [InlineData("P0001", false)] // raised by a trigger about the data
    public void Database_faults_are_retried_and_data_errors_are_dead_lettered(string sqlState, bool fault)
    {
        Assert.Equal(fault, ReadingIngester.IsDatabaseFault(new PostgresException("test", "ERROR", "ERROR", sqlState)));
    }

    [Fact]
    public void Ingestion_is_stuck_only_when_a_message_waits_and_nothing_has_committed_for_the_set_time()
    {
        var clock = new ManualClock();
        var progress = new IngestionProgress(clock);
        var stuckAfter = TimeSpan.FromSeconds(60);
        Assert.False(progress.Status(true, stuckAfter).Stuck);

        clock.Advance(TimeSpan.FromMinutes(10)); // quiet gauges are not a stuck pipeline
        Assert.False(progress.Status(true, stuckAfter).Stuck);

        progress.Received();
        progress.Received();
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(progress.Status(true, stuckAfter).Stuck);
        clock.Advance(TimeSpan.FromSeconds(1));
        var stuck = progress.Status(true, stuckAfter);
        Assert.True(stuck.Stuck);
        Assert.Equal((2, 60.0), (stuck.Unacknowledged, stuck.OldestUnacknowledgedSeconds));

        progress.Committed(); // a long queue that keeps committing is busy, not stuck
        Assert.False(progress.Status(true, stuckAfter).Stuck);
        progress.Acknowledged(1);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(progress.Status(true, stuckAfter).Stuck);
        progress.Acknowledged(1);
        Assert.Equal((false, 0, 0.0), (progress.Status(true, stuckAfter).Stuck, progress.Status(true, stuckAfter).Unacknowledged,
            progress.Status(true, stuckAfter).OldestUnacknowledgedSeconds));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 8, 3, 10, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
