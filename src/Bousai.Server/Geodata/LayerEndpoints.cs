using System.Globalization;
using Bousai.Server.PublicView;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Geodata;

/// <summary>Every layer as an RFC 7946 FeatureCollection, built by PostGIS, filtered by bbox through the GiST index, and kept per revision.</summary>
public static class LayerEndpoints
{
    public static IEndpointRouteBuilder MapLayerApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/layers").WithTags("Layers");
        group.MapGet("/", () => TypedResults.Ok(MapLayers.All.Select(l => new LayerSummary(l.Id, $"/api/layers/{l.Id}"))));
        group.MapGet("/{layer}", GetLayerAsync)
            .WithSummary("A map layer as GeoJSON (RFC 7946)")
            .WithDescription("bbox=minLon,minLat,maxLon,maxLat (WGS84) keeps features that intersect the box. " +
                             "Responses carry an ETag; send it back in If-None-Match to get 304 Not Modified.");
        return routes;
    }

    public sealed record LayerSummary(string Id, string Href);

    private static async Task<IResult> GetLayerAsync(
        string layer, string? bbox, HttpContext http, NpgsqlDataSource db, PublicSituation view, BuiltLayers built, CancellationToken cancellationToken)
    {
        var mapLayer = MapLayers.Find(layer);
        if (mapLayer is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Unknown layer",
                detail: $"There is no layer '{layer}'. Layers: {string.Join(", ", MapLayers.All.Select(l => l.Id))}.");
        }

        if (!TryParseBbox(bbox, out var box, out var bboxError))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid bbox", detail: bboxError);
        }

        // The public view's picture knows each layer's revision (read again within seconds of an import); before it has
        // one, the database says.
        var revision = view.Current?.Picture.Geodata.LayerRevisions is { Count: > 0 } revisions
            ? revisions.GetValueOrDefault(mapLayer.RevisionKey)
            : await LayerRevisionAsync(db, mapLayer, cancellationToken);
        var etag = $"W/\"{mapLayer.Id}-{revision}\"";
        if (ConditionalGet.IsNotModified(http, etag))
        {
            return ConditionalGet.NotModified(http, etag);
        }

        var key = (mapLayer.Id, box is null ? null : string.Join(',', box.Select(v => v.ToString("R", CultureInfo.InvariantCulture))), revision);
        if (built.Find(key) is { } kept)
        {
            ConditionalGet.SetValidators(http, etag);
            return TypedResults.Text(kept, "application/geo+json; charset=utf-8");
        }

        await using var command = db.CreateCommand(FeatureCollectionSql(mapLayer));
        command.Parameters.AddWithValue(box is null ? DBNull.Value : box[0]);
        command.Parameters.AddWithValue(box is null ? DBNull.Value : box[1]);
        command.Parameters.AddWithValue(box is null ? DBNull.Value : box[2]);
        command.Parameters.AddWithValue(box is null ? DBNull.Value : box[3]);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)mapLayer.Hazard ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        built.Keep(key, json);
        ConditionalGet.SetValidators(http, etag);
        return TypedResults.Text(json, "application/geo+json; charset=utf-8");
    }

    private static async Task<long> LayerRevisionAsync(NpgsqlDataSource db, MapLayer layer, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT coalesce((SELECT revision FROM layer_revisions WHERE layer = $1), 0)");
        command.Parameters.AddWithValue(layer.RevisionKey);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    // $1..$4: bbox or NULLs; $5: hazard for hazard_zones. Properties are the source feature's, with the
    // stored id and illustrative flag on top; station thresholds come from station_thresholds (the data
    // ingestion uses), not from the imported copy.
    private static string FeatureCollectionSql(MapLayer layer)
    {
        var extraProperties = layer.Table switch
        {
            "stations" => """
                || jsonb_build_object('kind', t.kind, 'gauge_type', t.gauge_type,
                     'expected_interval_minutes', t.expected_interval_minutes,
                     'thresholds', (SELECT jsonb_object_agg(th.stage, th.level_m) FROM station_thresholds th WHERE th.station_id = t.id),
                     'thresholds_assumed', coalesce((SELECT bool_or(th.assumed) FROM station_thresholds th WHERE th.station_id = t.id), false))
                """,
            "shelters" => """
                || jsonb_build_object('capacity', t.capacity, 'capacity_assumed', t.capacity_assumed,
                     'hazards', to_jsonb(t.hazards), 'is_evacuation_shelter', t.is_evacuation_shelter,
                     'is_emergency_site', t.is_emergency_site, 'attribution', t.attribution, 'kind', t.kind, 'accessible', t.accessible)
                """,
            _ => "",
        };
        return $"""
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature',
                    'id', t.id,
                    'geometry', ST_AsGeoJSON(t.geom, 7)::json,
                    'properties', t.properties || jsonb_build_object('id', t.id, 'name_ja', t.name_ja, 'name_en', t.name_en,
                                                                     'illustrative', t.illustrative) {extraProperties}
                ) ORDER BY t.id), '[]'::json))::text
            FROM {layer.Table} t
            WHERE ($1::float8 IS NULL OR t.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
              {(layer.Hazard is null ? "AND $5::text IS NULL" : "AND t.hazard = $5")}
            """;
    }

    internal static bool TryParseBbox(string? text, out double[]? box, out string error)
    {
        box = null;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var parts = text.Split(',');
        var values = new double[parts.Length];
        if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).Any(ok => !ok)
            || values.Any(v => !double.IsFinite(v)))
        {
            error = $"bbox must be four numbers minLon,minLat,maxLon,maxLat (WGS84); got '{text}'.";
            return false;
        }

        if (values[0] < -180 || values[2] > 180 || values[1] < -90 || values[3] > 90 || values[0] > values[2] || values[1] > values[3])
        {
            error = $"bbox '{text}' is outside -180..180 / -90..90 or has min greater than max.";
            return false;
        }

        box = values;
        return true;
    }
}

/// <summary>
/// Layers as built, by layer, bbox and revision: every page load asks for the same few (the public view's districts,
/// stations and shelters in the town's box), so a crowd costs PostGIS one build per revision, not one per request.
/// </summary>
public sealed class BuiltLayers
{
    private const int Kept = 64;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Layer, string? Bbox, long Revision), string> _built = new();

    public string? Find((string Layer, string? Bbox, long Revision) key) => _built.GetValueOrDefault(key);

    public void Keep((string Layer, string? Bbox, long Revision) key, string json)
    {
        if (_built.Count >= Kept) _built.Clear(); // arbitrary boxes (a GIS client panning) must not grow it without end
        _built[key] = json;
    }
}
