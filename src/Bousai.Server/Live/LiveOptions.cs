namespace Bousai.Server.Live;

/// <summary>Configuration section "Live": how the situation hubs pace and bound each client.</summary>
public sealed class LiveOptions
{
    /// <summary>Most events sent to a client in one message.</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>A client this many events behind the log is told to reload a snapshot instead of being replayed to.</summary>
    public int MaxLag { get; set; } = 20_000;

    /// <summary>How many recent events each instance keeps in memory to serve clients without reading the database.</summary>
    public int RecentEventsKept { get; set; } = 16_384;

    /// <summary>After a message carrying gauge readings, a client gets the next no sooner than this (readings in between coalesce).</summary>
    public TimeSpan StationUpdateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the event log (and the checkpoints) are kept: the record of what HQ knew and did, for the review after an
    /// event and any moment on the HQ map. Ten years by default, as a town keeps its disaster records; set it to the town's
    /// own rule (Live__LogRetention=1825.00:00:00 for five years).
    /// </summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(3653);

    /// <summary>A checkpoint of the whole situation is stored every this many events, so a moment is rebuilt from at most that many.</summary>
    public int CheckpointEvery { get; set; } = 1_000;

    /// <summary>How often an instance looks whether a checkpoint is due.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an instance reads the log even without a notification: a safety net, notifications do the work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
