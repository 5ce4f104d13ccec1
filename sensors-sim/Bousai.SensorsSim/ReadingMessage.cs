using System.Globalization;
using System.Text.Json;

namespace Bousai.SensorsSim;

/// <summary>One reading on the wire, as docs/mqtt.md defines it: topic bousai/v1/stations/{id}/{quantity}, JSON payload.</summary>
public sealed record ReadingMessage(string Topic, string Payload)
{
    public const int RainIntervalMinutes = 10;
    private static readonly TimeSpan JapanTime = TimeSpan.FromHours(9);

    public static ReadingMessage For(SimulatedStation station, DateTimeOffset observedAt, double value)
    {
        var fields = new Dictionary<string, object>
        {
            ["observedAt"] = observedAt.ToOffset(JapanTime).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["value"] = value,
            ["unit"] = station.Kind == SimulatedStation.WaterLevel ? "m" : "mm",
        };
        if (station.Kind == SimulatedStation.Rain) fields["intervalMinutes"] = RainIntervalMinutes;
        return new ReadingMessage($"bousai/v1/stations/{station.Id}/{station.Quantity}", JsonSerializer.Serialize(fields));
    }
}
