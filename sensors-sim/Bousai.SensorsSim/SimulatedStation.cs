using System.Text.Json;

namespace Bousai.SensorsSim;

/// <summary>A gauge the simulator speaks for, read from the same geodata the server imports.</summary>
public sealed record SimulatedStation(string Id, string Kind, string GaugeType, IReadOnlyDictionary<string, double> Thresholds)
{
    public const string WaterLevel = "water_level";
    public const string Rain = "rain";

    /// <summary>The name on the console (name_ja in the geodata); the id when the geodata has none.</summary>
    public string Name { get; init; } = Id;

    public double Longitude { get; init; }

    public double Latitude { get; init; }

    /// <summary>Threshold names as the geodata labels them (thresholds_labels_ja), e.g. danger → 氾濫危険水位.</summary>
    public IReadOnlyDictionary<string, string> ThresholdLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A 危機管理型水位計: reports every interval only while at or above its observation_start level, otherwise once a
    /// day (daily_when_low in the geodata; crisis gauges when the geodata does not say).
    /// </summary>
    public bool ReportsDailyWhenLow { get; init; } = GaugeType == "crisis";

    /// <summary>The MQTT quantity this station publishes (topic segment).</summary>
    public string Quantity => Kind == WaterLevel ? "water_level" : "rainfall";

    /// <summary>The lowest level the station defines: standby (水防団待機水位), or observation_start on a crisis gauge.</summary>
    public double? FirstThreshold =>
        Thresholds.TryGetValue("standby", out var standby) ? standby
        : Thresholds.TryGetValue("observation_start", out var start) ? start
        : null;

    /// <summary>The highest threshold the level has reached, as its label (e.g. 避難判断水位), or null below them all.</summary>
    public string? StageAt(double level) => Thresholds.Where(t => level >= t.Value).OrderBy(t => t.Value)
        .Select(t => ThresholdLabels.GetValueOrDefault(t.Key, t.Key)).LastOrDefault();

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

            var labels = new Dictionary<string, string>();
            if (properties.TryGetProperty("thresholds_labels_ja", out var l) && l.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in l.EnumerateObject().Where(x => x.Value.ValueKind == JsonValueKind.String))
                {
                    labels[label.Name] = label.Value.GetString()!;
                }
            }

            var id = properties.GetProperty("id").GetString()!;
            var gaugeType = properties.TryGetProperty("gauge_type", out var g) ? g.GetString() ?? "standard" : "standard";
            var station = new SimulatedStation(id, properties.GetProperty("kind").GetString()!, gaugeType, thresholds)
            {
                Name = properties.TryGetProperty("name_ja", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : id,
                ThresholdLabels = labels,
            };
            if (properties.TryGetProperty("daily_when_low", out var daily) && daily.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                station = station with { ReportsDailyWhenLow = daily.GetBoolean() };
            }

            if (feature.TryGetProperty("geometry", out var geometry) && geometry.ValueKind == JsonValueKind.Object
                && geometry.TryGetProperty("coordinates", out var point) && point.ValueKind == JsonValueKind.Array && point.GetArrayLength() >= 2)
            {
                station = station with { Longitude = point[0].GetDouble(), Latitude = point[1].GetDouble() };
            }

            stations.Add(station);
        }

        return stations;
    }
}
