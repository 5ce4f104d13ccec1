using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Bousai.Server.Accounts;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Authorization;
using Npgsql;

namespace Bousai.Server.OgcApi;

/// <summary>
/// Mapbox vector tiles of the layers that grow (field reports, gauges, shelters), built by PostGIS (ST_TileEnvelope,
/// ST_AsMVTGeom, ST_AsMVT) from the same sources as the OGC collections, so a map loads a screen's worth at a time:
/// /tiles/{layer}/{z}/{x}/{y}.mvt, described by TileJSON at /tiles/{layer}.json. Below <see cref="ClusterBelowZoom"/>
/// the report layers are aggregated into a grid of cells (a point per cell with its count). Tiles carry the same
/// ETag versions as the OGC answers and are kept in memory per version.
/// </summary>
public static class VectorTiles
{
    public const int MaxZoom = 20;

    /// <summary>Below this zoom a report layer is drawn as counts per cell, not report by report.</summary>
    public const int ClusterBelowZoom = 14;

    /// <summary>Cells across a tile when clustered: 16 (a cell of 256 of the tile's 4,096 units, 32 px of a 512-px tile on screen).</summary>
    public const int ClusterCells = 16;

    public const string MediaType = "application/vnd.mapbox-vector-tile";

    private static readonly string[] Tiled = ["reports", "all-reports", "stations", "shelters"];
    private static readonly string[] Clustered = ["reports", "all-reports"];

    /// <summary>Web Mercator's width (m) at zoom 0.</summary>
    private const double WorldMetres = 2 * 20037508.342789244;

    public static IEndpointRouteBuilder MapVectorTiles(this IEndpointRouteBuilder routes)
    {
        var tiles = routes.MapGroup("/tiles").WithTags("Vector tiles");
        tiles.MapGet("/{layer}.json", TileJsonAsync).WithSummary("TileJSON 3.0 description of a vector tile layer");
        tiles.MapGet("/{layer}/{z:int}/{x:int}/{y:int}.mvt", TileAsync).WithSummary("One Mapbox vector tile of the layer, built by PostGIS")
            .WithDescription("Layers: reports (verified public reports), all-reports (staff), stations, shelters. Report layers below zoom 14 " +
                             "hold one point per grid cell with its count. ETag / If-None-Match gives 304.");
        return routes;
    }

    private static async Task<IResult> TileJsonAsync(HttpContext http, string layer, NpgsqlDataSource db, OgcVersions versions, OgcExtents extents,
        IAuthorizationService authorization, CancellationToken ct)
    {
        if (await FindAsync(http, layer, authorization) is not { } collection) return Missing(layer);
        var version = await versions.CurrentAsync(ct);
        var extent = (await extents.ReadAsync(collection, version, ct)).Spatial ?? new OgcBbox(-180, -85.05, 180, 85.05);
        var fields = new JsonObject { ["id"] = "String" };
        foreach (var p in collection.Properties.Where(p => !Clustered.Contains(collection.Id) || ReportTileProperties.Contains(p.Name)))
            fields[p.Name] = p.Type switch { "number" or "integer" => "Number", "boolean" => "Boolean", _ => "String" };
        if (Clustered.Contains(collection.Id)) fields["count"] = "Number";
        var body = new JsonObject
        {
            ["tilejson"] = "3.0.0",
            ["name"] = collection.Title,
            ["description"] = collection.Description + (Clustered.Contains(collection.Id)
                ? $" Below zoom {ClusterBelowZoom}: one point per cell with the count of reports in it."
                : ""),
            ["tiles"] = new JsonArray($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/tiles/{collection.Id}/{{z}}/{{x}}/{{y}}.mvt"),
            ["minzoom"] = 0,
            ["maxzoom"] = MaxZoom,
            ["bounds"] = new JsonArray(extent.MinLon, extent.MinLat, extent.MaxLon, extent.MaxLat),
            ["vector_layers"] = new JsonArray(new JsonObject { ["id"] = collection.Id, ["fields"] = fields, ["minzoom"] = 0, ["maxzoom"] = MaxZoom }),
        };
        return TypedResults.Text(body.ToJsonString(BousaiJson.Options), "application/json; charset=utf-8");
    }

    private static async Task<IResult> TileAsync(HttpContext http, string layer, int z, int x, int y, NpgsqlDataSource db, OgcVersions versions,
        BuiltTiles built, IAuthorizationService authorization, CancellationToken ct)
    {
        if (z is < 0 or > MaxZoom || x < 0 || y < 0 || x >= 1L << z || y >= 1L << z)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["z"] = [$"A tile is z/x/y with z from 0 to {MaxZoom} and x and y from 0 to 2^z − 1."],
            });
        }

        if (await FindAsync(http, layer, authorization) is not { } collection) return Missing(layer);
        var version = await versions.CurrentAsync(ct);
        var etag = $"W/\"tile-{collection.Id}-{z}-{x}-{y}-{version}\"";
        if (ConditionalGet.IsNotModified(http, etag)) return ConditionalGet.NotModified(http, etag);
        var key = (collection.Id, z, x, y);
        var tile = built.Find(key, version);
        if (tile is null)
        {
            tile = await BuildAsync(db, collection, z, x, y, ct);
            built.Keep(key, version, tile);
        }

        ConditionalGet.SetValidators(http, etag);
        return TypedResults.Bytes(tile, MediaType);
    }

    /// <summary>The tile's bytes (empty when nothing lies in it): features whose point is in the tile or its 64-unit buffer.</summary>
    public static async Task<byte[]> BuildAsync(NpgsqlDataSource db, OgcCollection collection, int z, int x, int y, CancellationToken ct)
    {
        var clustered = Clustered.Contains(collection.Id) && z < ClusterBelowZoom;
        var rows = clustered
            ? $"""
               SELECT ST_AsMVTGeom(ST_Transform(c.centre, 3857), b.env, 4096, 64, true) AS geom, c.count
               FROM (SELECT ST_Centroid(ST_Collect(s.geom)) AS centre, count(*)::int AS count
                     FROM ({collection.Source}) s, b
                     WHERE s.geom && b.area
                     GROUP BY ST_SnapToGrid(ST_Transform(s.geom, 3857), $4)) c, b
               """
            : $"""
               SELECT ST_AsMVTGeom(ST_Transform(s.geom, 3857), b.env, 4096, 64, true) AS geom, s.id, {TileProperties(collection)} AS properties
               FROM ({collection.Source}) s, b
               WHERE s.geom && b.area
               """;
        await using var command = db.CreateCommand($"""
            WITH b AS (SELECT ST_TileEnvelope($1, $2, $3) AS env,
                              ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 0.015625), 4326) AS area),
                 f AS ({rows})
            SELECT coalesce(ST_AsMVT(f, '{collection.Id}', 4096, 'geom'), ''::bytea) FROM f WHERE f.geom IS NOT NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = z });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = x });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = y });
        if (clustered) command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = WorldMetres / (1L << z) / ClusterCells });
        return (byte[])(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>What a report carries in a tile: what the map draws it by (its details come from the API on a click), so a
    /// zoom-16 tile of a thousand reports stays small. Gauges and shelters carry all their properties.</summary>
    private static readonly string[] ReportTileProperties = ["category", "severity", "status"];

    private static string TileProperties(OgcCollection collection) => Clustered.Contains(collection.Id)
        ? $"jsonb_build_object({string.Join(", ", ReportTileProperties.Select(p => $"'{p}', s.properties -> '{p}'"))})"
        : "s.properties";

    private static async Task<OgcCollection?> FindAsync(HttpContext http, string layer, IAuthorizationService authorization) =>
        Tiled.Contains(layer) && OgcCollections.Find(layer) is { } collection
            && (collection.Audience == OgcAudience.Public
                || (http.User.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(http.User, AccountEndpoints.StaffPolicy)).Succeeded))
            ? collection
            : null;

    private static IResult Missing(string layer) => Tiled.Contains(layer) && OgcCollections.Find(layer) is { Audience: OgcAudience.Staff }
        ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Staff only", detail: $"The layer '{layer}' is for signed-in staff.")
        : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tile layer",
            detail: $"There is no tile layer '{layer}'. Layers: {string.Join(", ", Tiled)}.");
}

/// <summary>Tiles built for the current version, at most a few thousand (a town at every zoom a map shows it in); cleared when the version moves.</summary>
public sealed class BuiltTiles
{
    private const int MaxTiles = 4_096;
    private readonly ConcurrentDictionary<(string Layer, int Z, int X, int Y), byte[]> _tiles = new();
    private string _version = "";
    private readonly Lock _lock = new();

    public byte[]? Find((string Layer, int Z, int X, int Y) key, string version)
    {
        lock (_lock)
        {
            if (_version != version) return null;
        }

        return _tiles.GetValueOrDefault(key);
    }

    public void Keep((string Layer, int Z, int X, int Y) key, string version, byte[] tile)
    {
        lock (_lock)
        {
            if (_version != version)
            {
                _tiles.Clear();
                _version = version;
            }

            if (_tiles.Count >= MaxTiles) _tiles.Clear();
            _tiles[key] = tile;
        }
    }
}
