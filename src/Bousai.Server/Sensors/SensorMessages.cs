using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
                || !OffsetPattern().IsMatch(observedAtElement.GetString()!)
                || !DateTimeOffset.TryParse(observedAtElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var observedAt))
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
                case JsonValueKind.String when NonFinitePattern().IsMatch(valueElement.GetString()!):
                    value = double.NaN;
                    break;
                default:
                    refused.Add(new RefusedReading(messageNo, stationId, "malformed_json", where + "value must be a number"));
                    return;
            }

            string? unit = element.TryGetProperty("unit", out var unitElement) && unitElement.ValueKind == JsonValueKind.String
                ? unitElement.GetString() : null;
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

    /// <summary>What the dead letters keep of a payload: its first 2 KB as UTF-8 (invalid bytes replaced).</summary>
    public static string KeptPayload(byte[] payload) =>
        Encoding.UTF8.GetString(payload, 0, Math.Min(payload.Length, KeptPayloadBytes)).Replace('\0', '\uFFFD');

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

    [GeneratedRegex("^bousai/v1/stations/([A-Za-z0-9][A-Za-z0-9._-]{0,99})/([^/]+)$")]
    private static partial Regex TopicPattern();

    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex("^[+-]?(NaN|Infinity|inf)$", RegexOptions.IgnoreCase)]
    private static partial Regex NonFinitePattern();
}
