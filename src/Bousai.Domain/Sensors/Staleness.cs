namespace Bousai.Domain.Sensors;

/// <summary>
/// Whether a station's latest value can be shown as current. NoData is "no data" (データなし), never zero rain or a
/// zero level: a silent gauge says nothing about the river.
/// </summary>
public enum Freshness
{
    /// <summary>The server has never heard from the station.</summary>
    NoData,

    /// <summary>Heard within the tolerated silence.</summary>
    Current,

    /// <summary>Silent past the tolerated silence: show "no data", not the last value as if it were now.</summary>
    Stale,
}

/// <summary>
/// When a station's silence stops being normal. A station is stale after <c>lastHeard + 2 × interval + 5 min</c>:
/// one missed report is tolerated (a dropped packet or a gauge retrying is common and not a fault), the second is not,
/// and 5 minutes cover transmission delay and clock drift between gauge and server.
/// <para>
/// Crisis gauges (危機管理型水位計) report every 10 minutes only while the river is at or above 観測開始水位 and once a
/// day otherwise. When the caller says the last reading was low (<c>reportsDailyWhenLow</c>), the interval is 24 h, so
/// the gauge becomes stale 48 h 5 min after that reading: a day's report may be missed like any other, and a quiet
/// gauge is not falsely flagged hours after its daily report. (A rising river makes the gauge report every 10 minutes
/// by itself, so the long tolerance does not hide a rising river behind an old low value.)
/// </para>
/// <c>lastHeard</c> is when the server last received data from the station; the caller chooses that clock (server
/// receipt time avoids trusting a gauge's own clock). <c>now</c> is passed in: no clock is read here.
/// </summary>
public static class Staleness
{
    /// <summary>How long a crisis gauge below 観測開始水位 may go between reports.</summary>
    public static readonly TimeSpan DailyInterval = TimeSpan.FromHours(24);

    /// <summary>Slack for transmission delay and clock drift.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The moment the station becomes stale: <c>lastHeard + 2 × interval + 5 min</c>, the interval being
    /// <paramref name="expectedInterval"/>, or 24 h (if longer) for a crisis gauge whose last reading was below 観測開始.
    /// Null when never heard.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedInterval"/> is not positive.</exception>
    public static DateTimeOffset? StaleAfter(DateTimeOffset? lastHeard, TimeSpan expectedInterval, bool reportsDailyWhenLow)
    {
        if (expectedInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedInterval), expectedInterval, "a station's expected interval must be positive");
        }

        if (lastHeard is not { } heard)
        {
            return null;
        }

        var interval = reportsDailyWhenLow && DailyInterval > expectedInterval ? DailyInterval : expectedInterval;
        return heard + 2 * interval + Slack;
    }

    /// <summary>
    /// NoData when never heard; Stale when <paramref name="now"/> is past <see cref="StaleAfter"/> (at that moment
    /// exactly, still Current); Current otherwise, including when <paramref name="now"/> is before
    /// <paramref name="lastHeard"/> because of clock skew.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedInterval"/> is not positive.</exception>
    public static Freshness Of(DateTimeOffset? lastHeard, TimeSpan expectedInterval, bool reportsDailyWhenLow, DateTimeOffset now) =>
        StaleAfter(lastHeard, expectedInterval, reportsDailyWhenLow) switch
        {
            null => Freshness.NoData,
            { } staleAfter when now > staleAfter => Freshness.Stale,
            _ => Freshness.Current,
        };
}
