using System.Globalization;
using System.Xml.Linq;

namespace Bousai.Server.Cap;

/// <summary>
/// A CAP 1.2 message as XML (OASIS CAP 1.2, urn:oasis:names:tc:emergency:cap:1.2): one info block in Japanese and one
/// in English, each item's areas as polygons, and what CAP asks of a reader (category, urgency, severity, certainty)
/// from the item's kind and 警戒レベル. Pure: the same message always reads the same.
/// </summary>
public static class CapXml
{
    public static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";

    /// <summary>Times in the town's offset (JST has no daylight saving), to the second, as CAP's pattern wants them.</summary>
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    public static string Time(DateTimeOffset at) => at.ToOffset(Jst).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A time as a message carries it (whole seconds), so a reference read back matches the message.</summary>
    public static DateTimeOffset ToSeconds(DateTimeOffset at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, at.Offset);

    public static XDocument Document(CapMessage message, CapOptions options)
    {
        var alert = new XElement(Cap + "alert",
            new XElement(Cap + "identifier", message.Identifier),
            new XElement(Cap + "sender", message.Sender),
            new XElement(Cap + "sent", Time(message.Sent)),
            new XElement(Cap + "status", message.Status.ToString()),
            new XElement(Cap + "msgType", message.MsgType.ToString()),
            new XElement(Cap + "scope", "Public"),
            message.Status == CapStatus.Exercise ? new XElement(Cap + "note", "訓練 / EXERCISE") : null,
            message.References is { } references ? new XElement(Cap + "references", references) : null,
            Info(message, options, Language.Japanese),
            Info(message, options, Language.English));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), alert);
    }

    public static string Text(CapMessage message, CapOptions options) => Text(Document(message, options));

    /// <summary>A document as text with its declaration (UTF-8, as it is served).</summary>
    public static string Text(XDocument document)
    {
        using var writer = new Utf8StringWriter();
        document.Save(writer, SaveOptions.None);
        return writer.ToString();
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }

    private enum Language
    {
        Japanese,
        English,
    }

    private static XElement Info(CapMessage message, CapOptions options, Language language)
    {
        var item = message.Item;
        var ja = language == Language.Japanese;
        var cancel = message.MsgType == CapMsgType.Cancel;
        var exercise = message.Status == CapStatus.Exercise;
        var headline = (exercise ? (ja ? "【訓練】" : "[EXERCISE] ") : "")
            + (cancel ? (ja ? "解除: " : "Ended: ") : "")
            + (ja ? item.HeadlineJa : item.HeadlineEn);
        var instruction = cancel ? null : ja ? item.InstructionJa : item.InstructionEn;
        return new XElement(Cap + "info",
            new XElement(Cap + "language", ja ? "ja-JP" : "en-US"),
            new XElement(Cap + "category", Category(item)),
            new XElement(Cap + "event", ja ? item.EventJa : item.EventEn),
            ResponseTypes(item, cancel).Select(r => new XElement(Cap + "responseType", r)),
            new XElement(Cap + "urgency", cancel ? "Past" : Urgency(item.Level)),
            new XElement(Cap + "severity", cancel ? "Minor" : Severity(item.Level)),
            new XElement(Cap + "certainty", cancel ? "Observed" : Certainty(item)),
            new XElement(Cap + "eventCode", new XElement(Cap + "valueName", "bousai:kind"), new XElement(Cap + "value", item.Subkind)),
            new XElement(Cap + "effective", Time(item.Effective)),
            item.Expires is { } expires && !cancel ? new XElement(Cap + "expires", Time(expires)) : null,
            new XElement(Cap + "senderName", ja ? options.SenderNameJa : options.SenderNameEn),
            new XElement(Cap + "headline", headline),
            new XElement(Cap + "description", ja ? item.DescriptionJa : item.DescriptionEn),
            instruction is null ? null : new XElement(Cap + "instruction", instruction),
            item.Level is { } level
                ? new XElement(Cap + "parameter", new XElement(Cap + "valueName", ja ? "警戒レベル" : "AlertLevel"),
                    new XElement(Cap + "value", level.ToString(CultureInfo.InvariantCulture)))
                : null,
            item.Areas.Select(area => new XElement(Cap + "area",
                new XElement(Cap + "areaDesc", ja ? area.DescJa : area.DescEn),
                area.Polygons.Select(p => new XElement(Cap + "polygon", p)),
                area.Geocodes.Select(g => new XElement(Cap + "geocode", new XElement(Cap + "valueName", g.ValueName),
                    new XElement(Cap + "value", g.Value))))));
    }

    /// <summary>CAP category: a district's level is about people's safety; rain and rivers are Met (CAP counts floods there); landslides Geo.</summary>
    public static string Category(CapItem item) => item.Subkind switch
    {
        "district_level" => "Safety",
        "landslide_alert" or "landslide" => "Geo",
        _ => "Met",
    };

    public static IReadOnlyList<string> ResponseTypes(CapItem item, bool cancel) => cancel ? ["AllClear"] : item.Kind switch
    {
        CapItemKind.DistrictLevel => item.Level >= 5 ? ["Shelter"] : ["Evacuate"],
        _ => item.Level >= 4 ? ["Prepare"] : ["Monitor"],
    };

    /// <summary>警戒レベル 4–5: act now; 3: soon; 1–2: be ready.</summary>
    public static string Urgency(int? level) => level switch
    {
        >= 4 => "Immediate",
        3 => "Expected",
        >= 1 => "Future",
        _ => "Unknown",
    };

    public static string Severity(int? level) => level switch
    {
        >= 5 => "Extreme",
        4 => "Severe",
        3 => "Moderate",
        >= 1 => "Minor",
        _ => "Unknown",
    };

    /// <summary>A gauge's reading is observed; a forecast warning or an order at levels below 5 is about what is likely.</summary>
    public static string Certainty(CapItem item) => item.Kind switch
    {
        CapItemKind.SystemAlert => "Observed",
        CapItemKind.DistrictLevel => item.Level >= 5 ? "Observed" : "Likely",
        _ => item.Subkind == "river_flood" && item.Level >= 5 ? "Observed" : "Likely",
    };
}
