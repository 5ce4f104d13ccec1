using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bousai.SensorsSim;

/// <summary>One message on the wire, as docs/mqtt.md defines it: topic bousai/v1/stations/{id}/{quantity}, JSON payload.</summary>
public sealed record ReadingMessage(string Topic, string Payload)
{
    public const int RainIntervalMinutes = 10;
    private static readonly TimeSpan JapanTime = TimeSpan.FromHours(9);

    /// <summary>Payloads are not HTML: "+09:00" stays readable in mosquitto_sub instead of "\u002B09:00".</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string TopicOf(string stationId, string quantity) => $"bousai/v1/stations/{stationId}/{quantity}";

    public static ReadingMessage For(SimulatedStation station, DateTimeOffset observedAt, double value)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteReading(writer, observedAt, value, station.Kind == SimulatedStation.WaterLevel ? "m" : "mm",
                station.Kind == SimulatedStation.Rain ? RainIntervalMinutes : null);
        }

        return new ReadingMessage(TopicOf(station.Id, station.Quantity), Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>
    /// One reading object. observedAt is Japan time with its offset, to the second, with milliseconds only when the
    /// time has them (load mode stamps readings to the millisecond).
    /// </summary>
    public static void WriteReading(Utf8JsonWriter writer, DateTimeOffset observedAt, double value, string unit, int? intervalMinutes)
    {
        Span<byte> text = stackalloc byte[40];
        var format = observedAt.UtcTicks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.fffzzz";
        observedAt.ToOffset(JapanTime).TryFormat(text, out var length, format, CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        writer.WriteString("observedAt"u8, text[..length]);
        writer.WriteNumber("value"u8, value);
        writer.WriteString("unit"u8, unit);
        if (intervalMinutes is { } minutes) writer.WriteNumber("intervalMinutes"u8, minutes);
        writer.WriteEndObject();
    }
}
