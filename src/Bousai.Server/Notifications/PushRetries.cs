namespace Bousai.Server.Notifications;

/// <summary>How long a delivery the push service could not take (429, 5xx, no answer) waits before its next attempt.</summary>
public static class PushRetries
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan LongestRetryAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// The push service's Retry-After when it gave one (up to an hour), else 5 s doubled per attempt up to 10 min, spread
    /// by up to a fifth (<paramref name="jitter"/> in [0, 1)) so a thousand retries do not return at once.
    /// </summary>
    /// <param name="attempts">Attempts made so far, this one included (1 after the first).</param>
    public static TimeSpan Wait(int attempts, TimeSpan? retryAfter, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        if (retryAfter is { } after) return after < TimeSpan.Zero ? TimeSpan.Zero : after > LongestRetryAfter ? LongestRetryAfter : after;
        var backoff = FirstWait * Math.Pow(2, Math.Min(attempts - 1, 20));
        return (backoff > LongestBackoff ? LongestBackoff : backoff) * (1 + 0.2 * jitter);
    }
}
