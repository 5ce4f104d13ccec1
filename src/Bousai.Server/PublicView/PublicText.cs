using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bousai.Server.PublicView;

public enum PublicLanguage
{
    Ja,
    En,
}

/// <summary>
/// The public view's strings, from the table the web build writes (wwwroot/public-messages.json, made from
/// web/src/public/messageTable.ts): the server's rendering and the client's say the same things in the same words.
/// </summary>
public sealed partial class PublicText
{
    private static readonly TimeZoneInfo Japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private readonly IReadOnlyDictionary<string, string> _ja;
    private readonly IReadOnlyDictionary<string, string> _en;

    private PublicText(IReadOnlyDictionary<string, string> ja, IReadOnlyDictionary<string, string> en)
    {
        _ja = ja;
        _en = en;
    }

    public static PublicText Parse(string json)
    {
        var tables = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json)
                     ?? throw new InvalidDataException("public-messages.json is empty");
        return new PublicText(tables["ja"], tables["en"]);
    }

    /// <summary>A message in <paramref name="language"/> with its {placeholders} filled; a missing key shows as itself, as in the client.</summary>
    public string T(PublicLanguage language, string key, params (string Name, object Value)[] values)
    {
        var table = language == PublicLanguage.En ? _en : _ja;
        var message = table.TryGetValue(key, out var found) ? found : key;
        return values.Length == 0
            ? message
            : Placeholder().Replace(message, m => values.FirstOrDefault(v => v.Name == m.Groups[1].Value).Value is { } value
                ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""
                : "");
    }

    public bool Has(string key) => _ja.ContainsKey(key);

    /// <summary>"14:05", or "5/3 14:05" when it is not today in Japan (as core/japanTime.ts hhmm).</summary>
    public static string HourMinute(DateTimeOffset at, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(at, Japan);
        var today = TimeZoneInfo.ConvertTime(now, Japan);
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return local.Date == today.Date ? time : $"{local.Month}/{local.Day} {time}";
    }

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
