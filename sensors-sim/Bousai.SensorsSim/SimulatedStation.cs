using System.Text.Json;

namespace Bousai.SensorsSim;

/// <summary>A gauge the simulator speaks for, read from the same geodata the server imports.</summary>
public sealed record SimulatedStation(string Id, string Kind, string GaugeType, IReadOnlyDictionary<string, double> Thresholds)
{
    public const string WaterLevel = "water_level";
    public const string Rain = "rain";

    /// <summary>The MQTT quantity this station publishes (topic segment).</summary>
    public string Quantity => Kind == WaterLevel ? "water_level" : "rainfall";

    public static IReadOnlyList<SimulatedStation> ReadGeoJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var stations = new List<SimulatedStation>();
        foreach (var feature in document.RootElement.GetProperty("features").EnumerateArray())
        {
            var properties = feature.GetProperty("properties");
            var thresholds = new Dictionary<string, double>();
            if (properties.TryGetProperty("thresholds", out var t) && t.ValueKind == JsonValueKind.Object)
            {
                foreach (var level in t.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Number))
                {
                    thresholds[level.Name] = level.Value.GetDouble();
                }
            }

            stations.Add(new SimulatedStation(
                properties.GetProperty("id").GetString()!,
                properties.GetProperty("kind").GetString()!,
                properties.TryGetProperty("gauge_type", out var g) ? g.GetString() ?? "standard" : "standard",
                thresholds));
        }

        return stations;
    }
}
