namespace Bousai.Server.Cap;

public enum CapMsgType
{
    Alert,
    Update,
    Cancel,
}

public enum CapStatus
{
    Actual,
    Exercise,
}

/// <summary>
/// One CAP message the feed emitted for an item: the <paramref name="Number"/>th of the item's life (its identifier
/// ends with it), what it says (<paramref name="Item"/>: for a Cancel, what the item said last) and the message it
/// updates or cancels (<paramref name="References"/>, CAP's "sender,identifier,sent").
/// </summary>
public sealed record CapMessage(
    string Identifier,
    string ItemKey,
    int Number,
    string Sender,
    DateTimeOffset Sent,
    CapStatus Status,
    CapMsgType MsgType,
    string? References,
    CapItem Item)
{
    /// <summary>This message as another message's reference: sender,identifier,sent.</summary>
    public string AsReference() => $"{Sender},{Identifier},{CapXml.Time(Sent)}";
}

/// <summary>Who sends the messages and how they are named (configuration section "Cap").</summary>
public sealed class CapOptions
{
    /// <summary>CAP sender: an identifier of the town's HQ, without spaces, commas, &amp; or &lt;.</summary>
    public string Sender { get; set; } = "bousai.town.takahata.yamagata.jp";

    public string SenderNameJa { get; set; } = "高畠町災害対策本部";

    public string SenderNameEn { get; set; } = "Takahata Town Disaster Response Headquarters";

    /// <summary>Identifiers are {IdentifierPrefix}:{item key}:{n}.</summary>
    public string IdentifierPrefix { get; set; } = "urn:bousai:takahata";

    /// <summary>How long a Cancel stays in the feed after its item ended, so readers that poll see it.</summary>
    public TimeSpan CancelKeptFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most points of one polygon in a message (rings with more are simplified).</summary>
    public int MaxPolygonPoints { get; set; } = 100;
}
