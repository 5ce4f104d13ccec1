using Npgsql;

namespace Bousai.Server.Geodata;

/// <summary>
/// The revision of the geodata as a whole: the sum of every layer's revision in layer_revisions (each bumped by its
/// table's trigger), so it grows with any import. What is built from the geodata (the public view, the printed map, a
/// situation checkpoint) records it, and is built again when it moves.
/// </summary>
public static class GeodataRevision
{
    private const string Sql = "SELECT coalesce(sum(revision), 0)::bigint FROM layer_revisions";

    /// <summary>Inside a connection's transaction, so it matches what the same transaction reads of the layers.</summary>
    public static async Task<long> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task<long> ReadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await ReadAsync(connection, null, ct);
    }
}
