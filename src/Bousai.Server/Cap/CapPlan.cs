namespace Bousai.Server.Cap;

/// <summary>
/// The life of each item through the feed: given what is current and the last message of every item, the messages to
/// send now. An item that appears (or comes back after its Cancel) gets an Alert, one whose content changed an Update
/// referencing its previous message, one no longer current a Cancel referencing it. Nothing changed: nothing to send.
/// </summary>
public static class CapPlan
{
    public static IReadOnlyList<CapMessage> Next(IReadOnlyList<CapItem> current, IReadOnlyList<CapMessage> latest, DateTimeOffset now,
        CapOptions options)
    {
        var sent = CapXml.ToSeconds(now);
        var last = latest.ToDictionary(m => m.ItemKey);
        var messages = new List<CapMessage>();
        foreach (var item in current.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            if (!last.TryGetValue(item.Key, out var previous) || previous.MsgType == CapMsgType.Cancel)
            {
                messages.Add(Message(item, (previous?.Number ?? 0) + 1, CapMsgType.Alert, null, sent, options));
            }
            else if (previous.Item.ContentDigest() != item.ContentDigest())
            {
                messages.Add(Message(item, previous.Number + 1, CapMsgType.Update, previous, sent, options));
            }
        }

        var currentKeys = current.Select(i => i.Key).ToHashSet();
        foreach (var previous in latest.Where(m => m.MsgType != CapMsgType.Cancel && !currentKeys.Contains(m.ItemKey))
                     .OrderBy(m => m.ItemKey, StringComparer.Ordinal))
        {
            messages.Add(Message(previous.Item, previous.Number + 1, CapMsgType.Cancel, previous, sent, options));
        }

        return messages;
    }

    public static string Identifier(CapOptions options, string itemKey, int number) => $"{options.IdentifierPrefix}:{itemKey}:{number}";

    private static CapMessage Message(CapItem item, int number, CapMsgType type, CapMessage? previous, DateTimeOffset sent, CapOptions options) =>
        new(Identifier(options, item.Key, number), item.Key, number, options.Sender, sent,
            item.DrillId is null ? CapStatus.Actual : CapStatus.Exercise, type, previous?.AsReference(), item);
}
