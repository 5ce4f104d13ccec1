using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Bousai.Domain.Sensors;
using Bousai.Server.Store;

namespace Bousai.Server.Sensors;

/// <summary>An MQTT message as it arrived: topic, raw payload, and when this server received it.</summary>
public sealed record ReceivedMessage(string Topic, byte[] Payload, DateTimeOffset ReceivedAt);

/// <summary>A reading that passed every check that needs no database.</summary>
public readonly record struct CandidateReading(int MessageNo, string StationId, Quantity Quantity, DateTimeOffset ObservedAt, double Value, int? IntervalMinutes);

/// <summary>A message, or one element of a backlog array, that will not be stored, and why.</summary>
public sealed record RefusedReading(int MessageNo, string? StationId, string Reason, string? Detail);

/// <summary>Reads messages in the contract of docs/mqtt.md: topic bousai/v1/stations/{stationId}/{quantity}, JSON payload.</summary>
public static partial class SensorMessages
{
    public const string TopicFilter = "bousai/v1/stations/+/+";

    /// <summary>How much of a refused payload the dead letters keep.</summary>
    public const int KeptPayloadBytes = 2_048;

    public const int DefaultRainIntervalMinutes = 10;

    public static void Parse(int messageNo, ReceivedMessage message, MqttOptions limits, DateTimeOffset now,
        List<CandidateReading> readings, List<RefusedReading> refused)
    {
        if (TopicProblem(message.Topic) is { } topicProblem)
        {
            refused.Add(new RefusedReading(messageNo, null, "bad_topic", topicProblem));
            return;
        }

        var topic = TopicPattern().Match(message.Topic);
        if (!topic.Success)
        {
            refused.Add(new RefusedReading(messageNo, null, "bad_topic", $"expected bousai/v1/stations/{{stationId}}/{{quantity}}, got '{Shorten(message.Topic)}'"));
            return;
        }

        var stationId = topic.Groups[1].Value;
        if (!DbEnum.TryParse<Quantity>(topic.Groups[2].Value, out var quantity))
        {
            refused.Add(new RefusedReading(messageNo, stationId, "unknown_quantity", $"'{Shorten(topic.Groups[2].Value)}' is neither water_level nor rainfall"));
            return;
        }

        if (message.Payload.Length > limits.MaxPayloadBytes)
        {
            refused.Add(new RefusedReading(messageNo, stationId, "oversized_payload", $"{message.Payload.Length} bytes, the limit is {limits.MaxPayloadBytes}"));
            return;
        }

        // System.Text.Json would refuse it too, but as malformed JSON; the gauge vendor needs to hear it is the encoding.
        if (!Utf8.IsValid(message.Payload))
        {
            refused.Add(new RefusedReading(messageNo, stationId, "invalid_utf8", "the payload is not valid UTF-8"));
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message.Payload);
        }
        catch (JsonException e)
        {
            refused.Add(new RefusedReading(messageNo, stationId, "malformed_json", e.Message));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var element in root.EnumerateArray())
                {
                    ParseReading(element, $"element {index++}: ");
                }

                if (index == 0) refused.Add(new RefusedReading(messageNo, stationId, "missing_field", "an empty array"));
            }
            else
            {
                ParseReading(root, "");
            }
        }

        void ParseReading(JsonElement element, string where)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                refused.Add(new RefusedReading(messageNo, stationId, "malformed_json", where + "a reading is a JSON object"));
                return;
            }

            if (!element.TryGetProperty("observedAt", out var observedAtElement) || !element.TryGetProperty("value", out var valueElement))
            {
                refused.Add(new RefusedReading(messageNo, stationId, "missing_field", where + "observedAt and value are required"));
                return;
            }

            if (observedAtElement.ValueKind != JsonValueKind.String
                || !TryGetString(observedAtElement, out var observedAtText)
                || !OffsetPattern().IsMatch(observedAtText)
                || !DateTimeOffset.TryParse(observedAtText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var observedAt))
            {
                refused.Add(new RefusedReading(messageNo, stationId, "bad_timestamp",
                    where + "observedAt must be ISO 8601 with an offset, e.g. 2026-08-03T19:10:00+09:00"));
                return;
            }

            double value;
            switch (valueElement.ValueKind)
            {
                case JsonValueKind.Number when valueElement.TryGetDouble(out value) && double.IsFinite(value):
                    break;
                case JsonValueKind.Number:
                    value = double.PositiveInfinity;
                    break;
                case JsonValueKind.String when TryGetString(valueElement, out var valueText) && NonFinitePattern().IsMatch(valueText):
                    value = double.NaN;
                    break;
                default:
                    refused.Add(new RefusedReading(messageNo, stationId, "malformed_json", where + "value must be a number"));
                    return;
            }

            string? unit = null;
            if (element.TryGetProperty("unit", out var unitElement) && unitElement.ValueKind == JsonValueKind.String
                && !TryGetString(unitElement, out unit))
            {
                refused.Add(new RefusedReading(messageNo, stationId, "malformed_json", where + "unit is not text (an escaped lone surrogate)"));
                return;
            }
            int? interval = null;
            if (element.TryGetProperty("intervalMinutes", out var intervalElement))
            {
                if (intervalElement.ValueKind != JsonValueKind.Number || !intervalElement.TryGetInt32(out var minutes))
                {
                    refused.Add(new RefusedReading(messageNo, stationId, "bad_interval", where + "intervalMinutes must be a whole number"));
                    return;
                }

                interval = minutes;
            }

            if (quantity == Quantity.Rainfall) interval ??= DefaultRainIntervalMinutes;
            var problem = ReadingCheck.Check(quantity, value, unit, interval ?? DefaultRainIntervalMinutes, observedAt, now, limits.Retention);
            if (problem is { } p)
            {
                refused.Add(new RefusedReading(messageNo, stationId, DbEnum.Name(p), where + Explain(p, quantity, value, unit, observedAt)));
                return;
            }

            readings.Add(new CandidateReading(messageNo, stationId, quantity, observedAt.ToUniversalTime(), value, interval));
        }
    }

    /// <summary>Longest topic MQTT can carry: a UTF-8 string with a two-byte length.</summary>
    public const int MaxTopicBytes = 65_535;

    /// <summary>
    /// Why a topic can never be a gauge's, in words a gauge vendor understands, or null. The contract's pattern refuses
    /// all of these too; naming them makes the dead letter say what to fix. MQTTnet decodes the topic with replacement,
    /// so invalid UTF-8 on the wire arrives as U+FFFD; a lone surrogate can only come from a caller in this process.
    /// </summary>
    public static string? TopicProblem(string topic)
    {
        if (topic.Length == 0) return "the topic is empty";
        if (topic.Contains('\0')) return "the topic contains a NUL character";
        if (topic.Contains('\uFFFD') || !IsWellFormedUtf16(topic)) return "the topic is not valid UTF-8";
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0) return "the wildcards + and # are not allowed in a published topic";
        var bytes = Encoding.UTF8.GetByteCount(topic);
        if (bytes > MaxTopicBytes) return $"the topic is {bytes} bytes, MQTT allows {MaxTopicBytes}";
        var levels = topic.AsSpan().Count('/') + 1;
        if (levels != 5) return $"the topic has {Math.Min(levels, 99_999)} levels, expected 5: bousai/v1/stations/{{stationId}}/{{quantity}}";
        return null;
    }

    /// <summary>What the dead letters keep of a payload: its first 2 KB as UTF-8 (invalid bytes replaced), safe for PostgreSQL.</summary>
    public static string KeptPayload(byte[] payload) =>
        DeadLetterText.Safe(Encoding.UTF8.GetString(payload, 0, Math.Min(payload.Length, KeptPayloadBytes)), KeptPayloadBytes);

    /// <summary>System.Text.Json accepts an escaped lone surrogate ("\\ud800") in a document but cannot make a .NET string of it.</summary>
    private static bool TryGetString(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }

        return true;
    }

    private static string Explain(ReadingProblem problem, Quantity quantity, double value, string? unit, DateTimeOffset observedAt) => problem switch
    {
        ReadingProblem.MissingUnit => $"unit is required ({ReadingCheck.UnitOf(quantity)})",
        ReadingProblem.WrongUnit => $"unit '{Shorten(unit ?? "")}' should be '{ReadingCheck.UnitOf(quantity)}'",
        ReadingProblem.NotFinite => "value is not a finite number",
        ReadingProblem.OutOfBounds => $"{value.ToString(CultureInfo.InvariantCulture)} {unit} is outside physical bounds",
        ReadingProblem.BadInterval => $"intervalMinutes must be 1 to {ReadingCheck.MaxIntervalMinutes}",
        ReadingProblem.FutureTimestamp => $"observedAt {observedAt:O} is more than {ReadingCheck.FutureTolerance.TotalMinutes:0} minutes ahead",
        ReadingProblem.OlderThanRetention => $"observedAt {observedAt:O} is older than the retention period",
        _ => problem.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex("^bousai/v1/stations/([A-Za-z0-9][A-Za-z0-9._-]{0,99})/([^/]{1,100})$")]
    private static partial Regex TopicPattern();

    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex("^[+-]?(NaN|Infinity|inf)$", RegexOptions.IgnoreCase)]
    private static partial Regex NonFinitePattern();
}

/// <summary>
/// Text bound for a text column of dead_letters, which holds whatever a gauge sent: PostgreSQL refuses NUL in text and
/// Npgsql refuses to encode a lone surrogate, and either would fail the very record meant to keep the message. NUL is
/// kept visible as the six characters \u0000, a lone surrogate becomes U+FFFD, and the text is cut to a length.
/// </summary>
public static class DeadLetterText
{
    public const int MaxTopicChars = 500;
    public const int MaxDetailChars = 1_000;
    public const int MaxStationIdChars = 200;

    public static string Safe(string text, int maxChars)
    {
        var safe = new StringBuilder(Math.Min(text.Length, maxChars + 8));
        for (var i = 0; i < text.Length && safe.Length < maxChars; i++)
        {
            var c = text[i];
            if (c == '\0') safe.Append("\\u0000");
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (safe.Length + 2 > maxChars) break;
                safe.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c)) safe.Append('\uFFFD');
            else safe.Append(c);
        }

        if (safe.Length > maxChars) safe.Length = maxChars; // a \u0000 escape cut at the end: still no NUL
        return safe.ToString();
    }
}
