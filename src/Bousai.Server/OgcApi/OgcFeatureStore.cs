using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.OgcApi;

/// <summary>One feature as PostGIS gave it: its id, its geometry as GeoJSON (null when it has none) and its properties.</summary>
public sealed record OgcFeature(string Id, string? Geometry, JsonObject Properties);

/// <summary>A page of an items request: how many match in all, and those of the page in order.</summary>
public sealed record OgcPage(long Matched, IReadOnlyList<OgcFeature> Features);

/// <summary>A collection's extent: the bounding box of its features and the span of their times (nulls when empty).</summary>
public sealed record OgcExtent(OgcBbox? Spatial, DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>
/// Reads features of a collection from PostGIS: the bbox through the GiST index (ST_Intersects), the datetime on the
/// collection's time, the count and the page in one round trip, GeoJSON geometry by ST_AsGeoJSON.
/// </summary>
public static class OgcFeatureStore
{
    // $1..$4 bbox or NULLs, $5/$6 the interval's ends or NULLs.
    private const string Filter = """
        ($1::float8 IS NULL OR ST_Intersects(f.geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)))
        AND ($5::timestamptz IS NULL OR f.at >= $5) AND ($6::timestamptz IS NULL OR f.at <= $6)
        """;

    public static async Task<OgcPage> ReadAsync(NpgsqlDataSource db, OgcCollection collection, OgcItemsQuery query, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // A page is a few milliseconds of index scan; starting parallel workers for it costs tens (on a small
                // machine more than the query). Local to the batch's transaction.
                new NpgsqlBatchCommand("SELECT set_config('max_parallel_workers_per_gather', '0', true)"),
                new NpgsqlBatchCommand($"SELECT count(*) FROM ({collection.Source}) f WHERE {Filter}"),
                new NpgsqlBatchCommand($"""
                    SELECT f.id, ST_AsGeoJSON(f.geom, 7), f.properties::text FROM ({collection.Source}) f
                    WHERE {Filter} ORDER BY f.ord LIMIT $7 OFFSET $8
                    """),
            },
        };
        // A collection without time ignores datetime (OGC API – Features: a feature without time cannot be filtered by it).
        var interval = collection.Temporal ? query.Datetime : null;
        var (count, page) = (batch.BatchCommands[1], batch.BatchCommands[2]);
        AddFilter(count.Parameters, query.Bbox, interval);
        AddFilter(page.Parameters, query.Bbox, interval);
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Offset });

        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var matched = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var features = new List<OgcFeature>();
        while (await reader.ReadAsync(ct)) features.Add(Feature(reader));
        return new OgcPage(matched, features);
    }

    public static async Task<OgcFeature?> ReadOneAsync(NpgsqlDataSource db, OgcCollection collection, string featureId, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT f.id, ST_AsGeoJSON(f.geom, 7), f.properties::text FROM ({collection.Source}) f WHERE f.id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = featureId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Feature(reader) : null;
    }

    public static async Task<OgcExtent> ExtentAsync(NpgsqlDataSource db, OgcCollection collection, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), s, t
            FROM (SELECT ST_Extent(f.geom) AS e, min(f.at) AS s, max(f.at) AS t FROM ({collection.Source}) f) x
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var spatial = reader.IsDBNull(0) ? null : new OgcBbox(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
        return new OgcExtent(spatial,
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }

    private static void AddFilter(NpgsqlParameterCollection parameters, OgcBbox? bbox, OgcInterval? interval)
    {
        foreach (var value in new double?[] { bbox?.MinLon, bbox?.MinLat, bbox?.MaxLon, bbox?.MaxLat })
            parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        foreach (var value in new[] { interval?.Start, interval?.End })
            parameters.Add(new NpgsqlParameter { Value = (object?)value?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private static OgcFeature Feature(NpgsqlDataReader reader)
    {
        var properties = JsonNode.Parse(reader.GetString(2))!.AsObject();
        return new OgcFeature(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), properties);
    }
}
