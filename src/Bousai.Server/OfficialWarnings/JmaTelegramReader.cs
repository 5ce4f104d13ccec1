using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Bousai.Server.OfficialWarnings;

/// <summary>The town as JMA telegrams name it: its 市町村等 code and the designated rivers that flood it.</summary>
/// <param name="Rivers">Names a 指定河川洪水予報 forecast section starts with (最上川上流 is 最上川).</param>
public sealed record TownArea(string Code, string Name, IReadOnlyList<string> Rivers)
{
    public static TownArea Takahata { get; } = new("0638100", "高畠町", ["最上川", "屋代川"]);
}

/// <summary>
/// Reads JMA 防災情報XML telegrams (気象警報・注意報, 土砂災害警戒情報, 指定河川洪水予報). Telegrams come from outside
/// (the PULL feed, an upload, a drop directory), so the XML reader refuses DTDs, resolves nothing and caps the size;
/// anything that is not a telegram we record comes back as <see cref="TelegramReading.Refused"/>, never as an exception.
/// </summary>
public static partial class JmaTelegramReader
{
    /// <summary>Real telegrams are tens of kilobytes; a prefecture-wide one with every 市町村 stays well under this.</summary>
    public const int MaxCharacters = 2_000_000;

    static readonly XNamespace Jmx = "http://xml.kishou.go.jp/jmaxml1/";
    static readonly XNamespace Ib = "http://xml.kishou.go.jp/jmaxml1/informationBasis1/";
    static readonly XNamespace Met = "http://xml.kishou.go.jp/jmaxml1/body/meteorology1/";

    static readonly XmlReaderSettings Safe = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    public static TelegramReading Read(Stream xml, TownArea town, ProductNames names)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(xml, Safe);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return new TelegramReading.Refused("文書型宣言 (DTD) を含む XML は受け付けません / XML with a DTD is refused");
        }
        catch (XmlException e) when (e.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal))
        {
            return new TelegramReading.Refused(
                $"{MaxCharacters} 文字を超える文書は受け付けません / documents over {MaxCharacters} characters are refused");
        }
        catch (XmlException e)
        {
            return new TelegramReading.Refused(
                $"XML として読めません ({e.LineNumber} 行 {e.LinePosition} 桁) / not well-formed XML at line {e.LineNumber}, position {e.LinePosition}: {e.Message}");
        }

        try
        {
            return Interpret(document, town, names);
        }
        catch (TelegramFormatException e)
        {
            return new TelegramReading.Refused(e.Message);
        }
    }

    static TelegramReading Interpret(XDocument document, TownArea town, ProductNames names)
    {
        var report = document.Root!;
        if (report.Name != Jmx + "Report")
            throw new TelegramFormatException(
                $"気象庁防災情報XML ではありません / not a JMA 防災情報XML telegram: the root is {report.Name.LocalName} in \"{report.Name.NamespaceName}\"");
        var control = Child(report, Jmx + "Control");
        var head = Child(report, Ib + "Head");

        var controlTitle = Required(control, Jmx + "Title");
        var infoKind = Optional(head, Ib + "InfoKind") ?? "";
        var kind = KindOf(controlTitle, infoKind);
        var status = Required(control, Jmx + "Status") switch
        {
            "通常" => TelegramStatus.Normal,
            "訓練" => TelegramStatus.Drill,
            "試験" => TelegramStatus.Test,
            var other => throw new TelegramFormatException($"Control/Status \"{other}\" は未知です / unknown status"),
        };
        var infoType = Required(head, Ib + "InfoType") switch
        {
            "発表" => TelegramInfoType.Issue,
            "訂正" => TelegramInfoType.Correction,
            "取消" => TelegramInfoType.Cancellation,
            var other => throw new TelegramFormatException($"Head/InfoType \"{other}\" は未知です / unknown info type"),
        };
        var reportedAt = Time(head, Ib + "ReportDateTime")
            ?? throw new TelegramFormatException("Head/ReportDateTime がありません / missing ReportDateTime");
        var headline = head.Element(Ib + "Headline");
        var body = report.Element(Met + "Body");

        var rivers = kind == OfficialKind.RiverFlood ? RiversOf(headline) : [];
        var areas = kind switch
        {
            OfficialKind.WeatherWarning => WeatherAreas(body, reportedAt, names),
            OfficialKind.LandslideAlert => LandslideAreas(body, reportedAt, names),
            _ => FloodAreas(headline, body, rivers, reportedAt, names),
        };

        var telegram = new JmaTelegram(
            kind, controlTitle, Required(head, Ib + "Title"), infoType, status,
            Optional(control, Jmx + "PublishingOffice") ?? "", Optional(head, Ib + "EventID"),
            Optional(head, Ib + "Serial"), reportedAt, Time(head, Ib + "TargetDateTime"),
            Time(head, Ib + "ValidDateTime"), Optional(headline, Ib + "Text"), rivers, areas);

        var townArea = telegram.Area(town.Code)
            ?? (kind == OfficialKind.RiverFlood && areas.Count == 0 && rivers.Any(r => town.Rivers.Any(r.StartsWith))
                ? FloodAreaFor(town.Code, town.Name, headline, rivers, reportedAt, names)
                : null);

        if (infoType == TelegramInfoType.Cancellation && (townArea is not null || areas.Count == 0))
            return new TelegramReading.Cancels(telegram);
        return townArea is null
            ? new TelegramReading.NotForTown(telegram)
            : new TelegramReading.ForTown(telegram, townArea);
    }

    static OfficialKind KindOf(string controlTitle, string infoKind)
    {
        if (infoKind == "気象警報・注意報" || controlTitle.StartsWith("気象警報・注意報", StringComparison.Ordinal)
            || controlTitle.StartsWith("気象特別警報・警報・注意報", StringComparison.Ordinal))
            return OfficialKind.WeatherWarning;
        if (infoKind == "土砂災害警戒情報" || controlTitle == "土砂災害警戒情報")
            return OfficialKind.LandslideAlert;
        if (infoKind == "指定河川洪水予報" || controlTitle == "指定河川洪水予報")
            return OfficialKind.RiverFlood;
        throw new TelegramFormatException(
            $"「{controlTitle}」は記録する種類ではありません (気象警報・注意報, 土砂災害警戒情報, 指定河川洪水予報のみ) / not a kind this system records");
    }

    // Body/Warning type="気象警報・注意報（市町村等）": one Item per 市町村, each listing every warning with its change.
    static IReadOnlyList<AreaWarnings> WeatherAreas(XElement? body, DateTimeOffset at, ProductNames names) =>
        Items(body, "気象警報・注意報（市町村等）").Select(item =>
        {
            var (code, name) = AreaOf(item);
            var inForce = new List<WarningInForce>();
            var ended = new List<string>();
            foreach (var k in item.Elements(Met + "Kind"))
            {
                var product = Optional(k, Met + "Name");
                var change = Optional(k, Met + "Status") ?? "";
                var condition = Optional(k, Met + "Condition");
                if (product is null || change == "発表警報・注意報はなし")
                    continue;
                var shown = condition is null ? product : $"{product}（{condition}）";
                if (change == "解除")
                    ended.Add(shown);
                else
                    inForce.Add(new WarningInForce(shown, condition, change, names.Find(product, condition, at)?.Level));
            }
            return new AreaWarnings(code, name, inForce, ended);
        }).ToList();

    // Body/Warning type="土砂災害警戒情報": Kind/Name is 警戒 while in force, 解除 when lifted, なし otherwise.
    static IReadOnlyList<AreaWarnings> LandslideAreas(XElement? body, DateTimeOffset at, ProductNames names) =>
        Items(body, "土砂災害警戒情報").Select(item =>
        {
            var (code, name) = AreaOf(item);
            var k = item.Element(Met + "Kind");
            var state = Optional(k, Met + "Name");
            var change = Optional(k, Met + "Status") ?? "";
            const string product = "土砂災害警戒情報";
            return state == "警戒" && change != "解除"
                ? new AreaWarnings(code, name,
                    [new WarningInForce(product, null, change, names.Find(product, null, at)?.Level)], [])
                : new AreaWarnings(code, name, [], state == "解除" || change == "解除" ? [product] : []);
        }).ToList();

    static IReadOnlyList<string> RiversOf(XElement? headline) =>
        (headline?.Elements(Ib + "Information") ?? [])
            .Where(i => (string?)i.Attribute("type") == "指定河川洪水予報（予報区域）")
            .SelectMany(i => i.Descendants(Ib + "Area"))
            .Select(a => Optional(a, Ib + "Name"))
            .OfType<string>().Distinct().ToList();

    // The 市町村 a river forecast concerns are listed under 浸水想定地区 by CityCode (JIS, 5 digits, the JMA
    // 市町村等 code without its trailing 00); a telegram that lists none still concerns every town on that river.
    static IReadOnlyList<AreaWarnings> FloodAreas(
        XElement? headline, XElement? body, IReadOnlyList<string> rivers, DateTimeOffset at, ProductNames names) =>
        (body?.Descendants(Met + "Area") ?? [])
            .Select(a => (Code: Optional(a, Met + "CityCode"), Name: Optional(a, Met + "City")))
            .Where(c => c.Code is not null)
            .Select(c => (Code: c.Code!.Length == 5 ? c.Code + "00" : c.Code!, Name: c.Name ?? c.Code!))
            .DistinctBy(c => c.Code)
            .Select(c => FloodAreaFor(c.Code, c.Name, headline, rivers, at, names))
            .ToList();

    static AreaWarnings FloodAreaFor(
        string code, string name, XElement? headline, IReadOnlyList<string> rivers, DateTimeOffset at, ProductNames names)
    {
        var product = (headline?.Elements(Ib + "Information") ?? [])
            .Where(i => (string?)i.Attribute("type") == "指定河川洪水予報（予報区域）")
            .Select(i => Optional(i.Element(Ib + "Item")?.Element(Ib + "Kind"), Ib + "Name"))
            .FirstOrDefault(n => n is not null)
            ?? throw new TelegramFormatException("指定河川洪水予報の種類 (Headline/Information/Item/Kind/Name) がありません / missing flood product");
        var shown = string.Join("・", rivers) + product;
        return product.Contains("解除", StringComparison.Ordinal)
            ? new AreaWarnings(code, name, [], [shown])
            : new AreaWarnings(code, name, [new WarningInForce(shown, null, "発表", names.Find(product, null, at)?.Level)], []);
    }

    static IEnumerable<XElement> Items(XElement? body, string warningType) =>
        (body?.Elements(Met + "Warning") ?? [])
            .Where(w => (string?)w.Attribute("type") == warningType)
            .SelectMany(w => w.Elements(Met + "Item"));

    static (string Code, string Name) AreaOf(XElement item)
    {
        var area = Child(item, Met + "Area");
        return (Required(area, Met + "Code"), Required(area, Met + "Name"));
    }

    static XElement Child(XElement parent, XName name) =>
        parent.Element(name) ?? throw new TelegramFormatException(
            $"{parent.Name.LocalName}/{name.LocalName} がありません / missing {name.LocalName} in {parent.Name.LocalName}");

    static string Required(XElement parent, XName name) =>
        Optional(parent, name) ?? throw new TelegramFormatException(
            $"{parent.Name.LocalName}/{name.LocalName} がありません / missing {name.LocalName} in {parent.Name.LocalName}");

    static string? Optional(XElement? parent, XName name) =>
        parent?.Element(name)?.Value.Trim() is { Length: > 0 } text ? text : null;

    static DateTimeOffset? Time(XElement parent, XName name)
    {
        var text = Optional(parent, name);
        if (text is null)
            return null;
        // JMA always writes the offset (+09:00 or Z); a time without one cannot be placed on the clock.
        if (!WithOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            throw new TelegramFormatException($"{name.LocalName} \"{text}\" は時刻として読めません / not a time with an offset");
        return at;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex WithOffset();

    sealed class TelegramFormatException(string message) : Exception(message);
}
