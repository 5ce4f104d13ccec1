using System.Text.Json.Serialization;

namespace Bousai.Server.Live;

/// <summary>
/// What a hub streams to a client. "snapshot": the whole situation as of Seq. "events": the events in (After, Through],
/// for this client's audience and coalesced; After is always the previous message's Through (or the snapshot's Seq),
/// so a client can check it has missed nothing. "resync": reload a snapshot (the log no longer has what the client
/// needs, or the client fell too far behind).
/// </summary>
public sealed record SituationMessage(
    SituationMessageType Type,
    SituationSnapshot? Snapshot = null,
    long? After = null,
    long? Through = null,
    IReadOnlyList<SituationEvent>? Events = null,
    ResyncReason? Reason = null)
{
    public static SituationMessage ForSnapshot(SituationSnapshot snapshot) => new(SituationMessageType.Snapshot, Snapshot: snapshot);

    public static SituationMessage ForEvents(long after, long through, IReadOnlyList<SituationEvent> events) =>
        new(SituationMessageType.Events, After: after, Through: through, Events: events);

    public static SituationMessage ForResync(ResyncReason reason) => new(SituationMessageType.Resync, Reason: reason);
}

public enum SituationMessageType
{
    Snapshot,
    Events,
    Resync,
}

public enum ResyncReason
{
    /// <summary>The events after the client's position are older than the log keeps.</summary>
    Expired,
    /// <summary>The client is further behind than it can usefully be replayed to.</summary>
    TooFarBehind,
    /// <summary>The client claims a position the log has not reached (another database, or a restored backup).</summary>
    UnknownPosition,
}
