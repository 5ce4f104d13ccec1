using System.Text.Json;
using System.Text.Json.Nodes;
using Bousai.Domain.Rivers;
using Bousai.Domain.Shelters;

namespace Bousai.Server.Geodata;

/// <summary>What each layer needs from a feature's properties, and the SQL that moves staged features into its table.</summary>
public static class LayerProperties
{
    // Name columns of the formats we import: our own files, GSI shelters, 国土数値情報 N03 (行政区域) and P20 (避難施設).
    private static readonly string[] NameKeys = ["name_ja", "name", "名称", "N03_004", "P20_002"];

    public static string NameJa(MapLayer layer, SourceFeature feature) =>
        NameKeys.Select(k => feature.Properties[k]).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null)
            .FirstOrDefault(s => !string.IsNullOrWhiteSpace(s))
        ?? $"{layer.DefaultNameJa} {feature.Index + 1}";

    public static string? NameEn(JsonObject properties) => Text(properties, "name_en");

    /// <summary>Illustrative or assumed features are drawn and labelled as such on every map.</summary>
    public static bool IsIllustrative(JsonObject properties) =>
        Bool(properties, "illustrative") == true || Bool(properties, "assumed") == true;

    public static IEnumerable<string> Check(MapLayer layer, JsonObject properties)
    {
        foreach (var key in new[] { "illustrative", "assumed" })
        {
            if (properties[key] is { } node && node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                yield return $"'{key}' must be true or false";
            }
        }

        if (layer == MapLayers.Stations)
        {
            foreach (var problem in CheckStation(properties)) yield return problem;
        }
        else if (layer == MapLayers.Shelters)
        {
            foreach (var problem in CheckShelter(properties)) yield return problem;
        }
    }

    private static IEnumerable<string> CheckStation(JsonObject properties)
    {
        var kind = Text(properties, "kind");
        if (kind is not ("water_level" or "rain"))
        {
            yield return $"station 'kind' must be \"water_level\" or \"rain\", found {Show(properties["kind"])}";
        }

        var gaugeType = Text(properties, "gauge_type") ?? "standard";
        if (gaugeType is not ("standard" or "crisis" or "amedas"))
        {
            yield return $"'gauge_type' must be standard, crisis or amedas, found {Show(properties["gauge_type"])}";
        }

        if (properties["expected_interval_minutes"] is { } interval
            && !(interval.GetValueKind() == JsonValueKind.Number && interval.GetValue<double>() is > 0 and var m && m == Math.Floor(m)))
        {
            yield return "'expected_interval_minutes' must be a positive whole number";
        }

        if (properties["thresholds"] is not { } thresholdsNode || thresholdsNode.GetValueKind() == JsonValueKind.Null)
        {
            yield break;
        }

        if (thresholdsNode is not JsonObject thresholds)
        {
            yield return "'thresholds' must be an object of stage → metres";
            yield break;
        }

        var levels = new Dictionary<WaterLevelThreshold, double>();
        foreach (var (key, value) in thresholds)
        {
            if (!WaterLevelThresholds.TryParseStage(key, out var stage))
            {
                yield return $"unknown threshold '{key}' (known: {string.Join(", ", WaterLevelThresholds.StageKeys)})";
            }
            else if (value is null || value.GetValueKind() == JsonValueKind.Null)
            {
                // A stage may be left out; null means "not defined for this gauge".
            }
            else if (value.GetValueKind() != JsonValueKind.Number || !double.IsFinite(value.GetValue<double>()))
            {
                yield return $"threshold '{key}' must be a number of metres";
            }
            else
            {
                levels[stage] = value.GetValue<double>();
            }
        }

        if (kind == "rain" && levels.Count > 0)
        {
            yield return "rain gauges have no water-level thresholds";
        }

        var thresholdError = WaterLevelThresholds.Create(levels, gaugeType == "crisis") switch
        {
            { Error: { } error } => error,
            _ => null,
        };
        if (thresholdError is not null)
        {
            yield return thresholdError;
        }
    }

    private static IEnumerable<string> CheckShelter(JsonObject properties)
    {
        if (properties["hazards"] is not JsonArray hazards)
        {
            yield return "shelter 'hazards' must be an array of the hazards the site is designated for (may be empty)";
        }
        else
        {
            foreach (var hazard in hazards)
            {
                if (hazard is not JsonValue v || !v.TryGetValue<string>(out var code) || !Hazards.IsKnown(code))
                {
                    yield return $"unknown hazard {Show(hazard)} (known: {string.Join(", ", Hazards.All)})";
                }
            }
        }

        if (properties["capacity"] is { } capacity && capacity.GetValueKind() != JsonValueKind.Null
            && !(capacity.GetValueKind() == JsonValueKind.Number && capacity.GetValue<double>() is >= 0 and <= int.MaxValue and var c && c == Math.Floor(c)))
        {
            yield return $"'capacity' must be a whole number of people or null, found {Show(capacity)}";
        }

        foreach (var key in new[] { "is_evacuation_shelter", "is_emergency_site", "capacity_assumed" })
        {
            if (properties[key] is { } node && node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                yield return $"'{key}' must be true or false";
            }
        }
    }

    /// <summary>Upsert from import_staging. $1 = source file name, $2 = hazard (hazard zones only). Returns one row per feature: inserted?</summary>
    public static string UpsertSql(MapLayer layer)
    {
        var geometry = layer.Geometry == GeometryKind.Point ? "geom" : "ST_Multi(geom)";
        var (columns, values) = layer.Table switch
        {
            "hazard_zones" => (", hazard", ", $2"),
            "stations" => (", kind, gauge_type, river_ja, expected_interval_minutes",
                ", properties->>'kind', coalesce(properties->>'gauge_type', 'standard'), properties->>'river_ja', " +
                "coalesce((properties->>'expected_interval_minutes')::int, 10)"),
            "shelters" => (", address, hazards, is_evacuation_shelter, is_emergency_site, capacity, capacity_assumed, attribution",
                ", properties->>'address', ARRAY(SELECT jsonb_array_elements_text(properties->'hazards')), " +
                "coalesce((properties->>'is_evacuation_shelter')::boolean, false), coalesce((properties->>'is_emergency_site')::boolean, true), " +
                "(properties->>'capacity')::int, coalesce((properties->>'capacity_assumed')::boolean, false), properties->>'attribution'"),
            _ => ("", ""),
        };
        var conflict = layer.Hazard is null ? "(id)" : "(hazard, id)";
        var hazardGuard = layer.Hazard is null ? "WHERE $2::text IS NULL" : "";
        var updates = string.Join(", ", ("source, name_ja, name_en, illustrative, properties, geom" + columns)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(c => c != "hazard")
            .Select(c => $"{c} = excluded.{c}"));
        return $"""
            INSERT INTO {layer.Table} AS t (id, source, name_ja, name_en, illustrative, properties, geom{columns})
            SELECT feature_id, $1, name_ja, name_en, illustrative, properties, {geometry}{values}
            FROM import_staging {hazardGuard}
            ORDER BY idx
            ON CONFLICT {conflict} DO UPDATE SET {updates}, updated_at = now()
            RETURNING (xmax = 0)
            """;
    }

    public const string StationThresholdsSql = """
        DELETE FROM station_thresholds WHERE station_id IN (SELECT feature_id FROM import_staging);
        INSERT INTO station_thresholds (station_id, stage, level_m, assumed)
        SELECT s.feature_id, t.key, (t.value #>> '{}')::float8, coalesce((s.properties->>'thresholds_assumed')::boolean, false)
        FROM import_staging s
        CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(s.properties->'thresholds') = 'object' THEN s.properties->'thresholds' ELSE '{}' END) t
        WHERE jsonb_typeof(t.value) = 'number';
        """;

    private static string? Text(JsonObject properties, string key) =>
        properties[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool? Bool(JsonObject properties, string key) =>
        properties[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "nothing";
}
