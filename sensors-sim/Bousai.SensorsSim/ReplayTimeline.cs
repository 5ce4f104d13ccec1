namespace Bousai.SensorsSim;

/// <summary>
/// Where a replay's readings fall in real time. The server refuses readings from the future and derives rain totals and
/// trends as of each station's latest observation, so a replay of <c>D</c> (simulated) played at speed <c>S</c> is
/// placed in the past and catches up with the present: its clock starts at <c>now − D·(1 − 1/S)</c> and runs S times
/// as fast as the wall clock, reaching now exactly when the replay ends. At speed 1 the replay is real time.
/// </summary>
public sealed record ReplayTimeline
{
    /// <summary>The wall-clock instant the replay started.</summary>
    public required DateTimeOffset WallStart { get; init; }

    /// <summary>The observedAt of replay offset zero (whole seconds: payloads carry seconds).</summary>
    public required DateTimeOffset ObservedStart { get; init; }

    public required double Speed { get; init; }

    /// <summary>A timeline for a replay of <paramref name="duration"/> that ends now + duration / speed, exactly when the replay does.</summary>
    public static ReplayTimeline EndingNow(DateTimeOffset now, TimeSpan duration, double speed)
    {
        if (!(speed >= 1) || double.IsInfinity(speed)) throw new ArgumentException($"--speed must be a number ≥ 1 (got {speed}): a replay runs at or faster than real time");
        var start = now - duration * (1 - 1 / speed);
        // Whole seconds, rounded down: readings are then never ahead of the wall clock.
        return new ReplayTimeline { WallStart = now, ObservedStart = start.AddTicks(-(start.UtcTicks % TimeSpan.TicksPerSecond)), Speed = speed };
    }

    /// <summary>A real-time timeline whose offset zero is observed at <paramref name="observedStart"/> (no later than now).</summary>
    public static ReplayTimeline RealTimeFrom(DateTimeOffset observedStart) =>
        new() { WallStart = observedStart, ObservedStart = observedStart, Speed = 1 };

    public DateTimeOffset ObservedAt(TimeSpan offset) => ObservedStart + offset;

    /// <summary>When, on the wall clock, the reading for <paramref name="offset"/> is due.</summary>
    public DateTimeOffset DueAt(TimeSpan offset) => WallStart + offset / Speed;
}
