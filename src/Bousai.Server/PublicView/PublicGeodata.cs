using Npgsql;

namespace Bousai.Server.PublicView;

/// <summary>A district as the public view names it, with the point shelters are ordered from when a resident picks it.</summary>
public sealed record PublicDistrict(string Id, string NameJa, string? NameEn, double Longitude, double Latitude);

/// <summary>A shelter's fixed facts (its live state comes from the snapshot).</summary>
public sealed record PublicShelter(string Id, string NameJa, string? NameEn, string? Address, bool IsEvacuationShelter,
    bool IsEmergencySite, int? Capacity, bool CapacityAssumed, IReadOnlyList<string> Hazards, bool Illustrative,
    double Longitude, double Latitude);

/// <summary>A gauge's fixed facts.</summary>
public sealed record PublicStation(string Id, string NameJa, string? NameEn, string Kind, string? River);

/// <summary>
/// The geodata the public view names things from, read once and again only when an import changes a layer's revision
/// (<see cref="Revision"/> is the sum of the layers' revisions, so any import moves it).
/// </summary>
public sealed record PublicGeodata(long Revision, IReadOnlyList<PublicDistrict> Districts, IReadOnlyList<PublicShelter> Shelters,
    IReadOnlyList<PublicStation> Stations)
{
    public static readonly PublicGeodata Empty = new(-1, [], [], []);

    /// <summary>Each layer's own revision (layer_revisions.layer → revision), as read with the rest.</summary>
    public IReadOnlyDictionary<string, long> LayerRevisions { get; init; } = new Dictionary<string, long>();

    public PublicDistrict? District(string id) => Districts.FirstOrDefault(d => d.Id == id);

    public static async Task<PublicGeodata> LoadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var layers = new Dictionary<string, long>();
        await using (var command = new NpgsqlCommand("SELECT layer, revision FROM layer_revisions", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) layers[reader.GetString(0)] = reader.GetInt64(1);
        }

        var revision = layers.Values.Sum();

        var districts = new List<PublicDistrict>();
        await using (var command = new NpgsqlCommand(
            "SELECT id, name_ja, name_en, ST_X(p), ST_Y(p) FROM (SELECT *, ST_PointOnSurface(geom) AS p FROM districts) d ORDER BY id",
            connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                districts.Add(new PublicDistrict(reader.GetString(0), reader.GetString(1), Nullable(reader, 2), reader.GetDouble(3), reader.GetDouble(4)));
            }
        }

        var shelters = new List<PublicShelter>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT id, name_ja, name_en, address, is_evacuation_shelter, is_emergency_site, capacity, capacity_assumed, hazards,
                   illustrative, ST_X(geom), ST_Y(geom)
            FROM shelters ORDER BY id
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                shelters.Add(new PublicShelter(reader.GetString(0), reader.GetString(1), Nullable(reader, 2), Nullable(reader, 3),
                    reader.GetBoolean(4), reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetBoolean(7),
                    reader.GetFieldValue<string[]>(8), reader.GetBoolean(9), reader.GetDouble(10), reader.GetDouble(11)));
            }
        }

        var stations = new List<PublicStation>();
        await using (var command = new NpgsqlCommand("SELECT id, name_ja, name_en, kind, river_ja FROM stations ORDER BY id", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stations.Add(new PublicStation(reader.GetString(0), reader.GetString(1), Nullable(reader, 2), reader.GetString(3), Nullable(reader, 4)));
            }
        }

        await transaction.CommitAsync(ct);
        return new PublicGeodata(revision, districts, shelters, stations) { LayerRevisions = layers };
    }

    private static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
