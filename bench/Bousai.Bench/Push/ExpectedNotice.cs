using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bousai.Bench.Push;

/// <summary>
/// What a resident's phone must show for a district's level notice, in each language, from the public view's own
/// message table (wwwroot/public-messages.json, the file the server words its notices from). The bench does not
/// reference the server: this is the notice as residents read it on the public page, written out independently.
/// </summary>
public sealed partial class ExpectedNotice
{
    private readonly Dictionary<string, Dictionary<string, string>> _tables;

    private ExpectedNotice(Dictionary<string, Dictionary<string, string>> tables) => _tables = tables;

    public static ExpectedNotice Read(string publicMessagesJson) =>
        new(JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(publicMessagesJson))
            ?? throw new InvalidDataException($"{publicMessagesJson} is empty"));

    /// <summary>The fields a level notice's payload must carry for a subscriber reading <paramref name="language"/>.</summary>
    /// <param name="kind">levelIssued or levelRaised (the message key after "notice.").</param>
    public IReadOnlyDictionary<string, object> LevelNotice(string kind, int level, string districtId, string districtName, string language)
    {
        string T(string key, params (string Name, string Value)[] values)
        {
            var message = _tables[language].TryGetValue(key, out var found) ? found : throw new InvalidDataException($"public-messages.json has no {language} {key}");
            return Placeholder().Replace(message, m => values.FirstOrDefault(v => v.Name == m.Groups[1].Value).Value ?? "");
        }

        var levelWords = $"{T("evacLevelNumber", ("level", level.ToString(System.Globalization.CultureInfo.InvariantCulture)))} {T($"evacLevel.{level}")}";
        return new Dictionary<string, object>
        {
            ["title"] = T($"notice.{kind}", ("level", levelWords), ("district", districtName)),
            ["body"] = T($"evacAction.{level}"),
            ["tag"] = $"district:{districtId}",
            ["url"] = $"{(language == "en" ? "/public/en" : "/public")}?district={Uri.EscapeDataString(districtId)}",
            ["language"] = language,
            ["urgent"] = level >= 3,
            ["icon"] = $"/notifications/level-{level}.png",
            ["drill"] = false,
        };
    }

    /// <summary>The differences between a decrypted payload and the expected fields (empty when it is the notice); also checks its notice id.</summary>
    public static IReadOnlyList<string> Differences(string payload, IReadOnlyDictionary<string, object> expected, long noticeId)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(payload).RootElement.Clone();
        }
        catch (JsonException e)
        {
            return [$"not JSON: {e.Message}"];
        }

        var differences = new List<string>();
        foreach (var (name, value) in expected.Append(new KeyValuePair<string, object>("noticeId", noticeId)))
        {
            if (!root.TryGetProperty(name, out var actual))
            {
                differences.Add($"no {name}");
                continue;
            }

            var matches = value switch
            {
                string text => actual.ValueKind == JsonValueKind.String && actual.GetString() == text,
                bool flag => actual.ValueKind == (flag ? JsonValueKind.True : JsonValueKind.False),
                long number => actual.ValueKind == JsonValueKind.Number && actual.GetInt64() == number,
                _ => false,
            };
            if (!matches) differences.Add($"{name} is {actual.GetRawText()}, expected {(value is string t ? $"\"{t}\"" : value.ToString()!.ToLowerInvariant())}");
        }

        return differences;
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
