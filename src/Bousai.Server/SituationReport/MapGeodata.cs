using Bousai.Server.Geodata;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Bousai.Server.SituationReport;

public sealed record MapDistrict(string Id, string NameJa, string? NameEn, bool Illustrative, Geometry Shape, Point Inside);

public sealed record MapPlace(string Id, string NameJa, string? NameEn, bool Illustrative, Point Location, string Kind = "", int? Capacity = null);

public sealed record MapRiver(string NameJa, bool Illustrative, Geometry Course);

/// <summary>
/// The geometries the situation map is drawn from, read from PostGIS as NetTopologySuite geometries (the data source
/// maps them), and read again only when an import moves a layer's revision.
/// </summary>
public sealed record MapGeodata(long Revision, string TownJa, string? TownEn, IReadOnlyList<Geometry> Boundary, IReadOnlyList<MapDistrict> Districts,
    IReadOnlyList<MapRiver> Rivers, IReadOnlyList<MapPlace> Shelters, IReadOnlyList<MapPlace> Stations)
{
    /// <summary>The box the map is fitted to: the town boundary, or every feature when there is none.</summary>
    public Envelope Extent
    {
        get
        {
            var extent = new Envelope();
            foreach (var g in Boundary) extent.ExpandToInclude(g.EnvelopeInternal);
            if (extent.IsNull)
            {
                foreach (var d in Districts) extent.ExpandToInclude(d.Shape.EnvelopeInternal);
                foreach (var p in Shelters.Concat(Stations)) extent.ExpandToInclude(p.Location.Coordinate);
            }

            // An empty town still draws: the town office and a few kilometres around it.
            if (extent.IsNull) extent = new Envelope(140.14, 140.24, 37.96, 38.04);
            if (extent.Width == 0 || extent.Height == 0) extent.ExpandBy(0.01);
            return extent;
        }
    }

    /// <summary>Whether any drawn geometry is invented rather than published (the districts of Takahata are).</summary>
    public bool AnyIllustrative => Districts.Any(d => d.Illustrative) || Rivers.Any(r => r.Illustrative);

    public static async Task<MapGeodata> LoadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var revision = await GeodataRevision.ReadAsync(connection, transaction, ct);

        var boundary = new List<Geometry>();
        string townJa = "高畠町";
        string? townEn = "Takahata";
        await using (var command = new NpgsqlCommand("SELECT name_ja, name_en, geom FROM town_boundaries ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                townJa = reader.GetString(0);
                townEn = reader.IsDBNull(1) ? null : reader.GetString(1);
                boundary.Add(reader.GetFieldValue<Geometry>(2));
            }
        }

        var districts = new List<MapDistrict>();
        await using (var command = new NpgsqlCommand(
            "SELECT id, name_ja, name_en, illustrative, geom, ST_PointOnSurface(geom) FROM districts ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                districts.Add(new MapDistrict(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetBoolean(3), reader.GetFieldValue<Geometry>(4), reader.GetFieldValue<Point>(5)));
            }
        }

        var rivers = new List<MapRiver>();
        await using (var command = new NpgsqlCommand("SELECT name_ja, illustrative, geom FROM rivers ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) rivers.Add(new MapRiver(reader.GetString(0), reader.GetBoolean(1), reader.GetFieldValue<Geometry>(2)));
        }

        var shelters = await PlacesAsync(connection, transaction,
            "SELECT id, name_ja, name_en, illustrative, geom, '', capacity FROM shelters ORDER BY id", ct);
        var stations = await PlacesAsync(connection, transaction,
            "SELECT id, name_ja, name_en, illustrative, geom, kind, NULL::int FROM stations ORDER BY id", ct);
        await transaction.CommitAsync(ct);
        return new MapGeodata(revision, townJa, townEn, boundary, districts, rivers, shelters, stations);
    }

    private static async Task<IReadOnlyList<MapPlace>> PlacesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        var places = new List<MapPlace>();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            places.Add(new MapPlace(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3),
                reader.GetFieldValue<Point>(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6)));
        }

        return places;
    }
}
