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

    /// <summary>How long the event log keeps events for clients to catch up from.</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often an instance reads the log even without a notification: a safety net, notifications do the work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
