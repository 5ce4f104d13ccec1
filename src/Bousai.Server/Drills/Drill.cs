using Npgsql;

namespace Bousai.Server.Drills;

/// <summary>
/// A drill (訓練): while it is on, every record HQ or the system makes carries its id and is shown marked 訓練 /
/// EXERCISE. Residents see that a drill is on and its name, not who started or ended it.
/// </summary>
public sealed record Drill(long DrillId, string Name, DateTimeOffset StartedAt, string? StartedBy, DateTimeOffset? EndedAt = null,
    string? EndedBy = null)
{
    public Drill ForPublic() => this with { StartedBy = null, EndedBy = null };
}

/// <summary>
/// The SQL of drills. A feature that records something during a drill writes <see cref="CurrentIdAsync"/> into its
/// own drill_id column (in the same transaction as the record), and its live reads filter with
/// <see cref="InLivePicture"/>.
/// </summary>
public static class DrillStore
{
    private const string SelectDrill = "SELECT id, name, started_at, started_by, ended_at, ended_by FROM drills";

    /// <summary>
    /// A SQL condition true for a row that belongs in the live picture: a real record (drill_id NULL) or one of the drill
    /// in progress. <paramref name="alias"/> is the table's alias in the query.
    /// </summary>
    public static string InLivePicture(string alias) =>
        $"({alias}.drill_id IS NULL OR {alias}.drill_id IN (SELECT id FROM drills WHERE ended_at IS NULL))";

    /// <summary>The drill in progress, or null.</summary>
    public static async Task<Drill?> CurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct) =>
        (await ReadAsync(connection, transaction, "WHERE ended_at IS NULL", ct)).SingleOrDefault();

    /// <summary>The id of the drill in progress, for a new record's drill_id; null when none is on (a real record).</summary>
    public static async Task<long?> CurrentIdAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct) =>
        (await CurrentAsync(connection, transaction, ct))?.DrillId;

    /// <summary>Starts a drill; null when one is already on (the unique index decides, across instances).</summary>
    public static async Task<Drill?> StartAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, string by,
        DateTimeOffset at, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO drills (name, started_at, started_by) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection, transaction);
        insert.Parameters.AddWithValue(name);
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(by);
        return await insert.ExecuteScalarAsync(ct) is long id ? new Drill(id, name, at, by) : null;
    }

    /// <summary>Ends the drill in progress, locking it first; null when none is on.</summary>
    public static async Task<Drill?> EndAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string by, DateTimeOffset at,
        CancellationToken ct)
    {
        if ((await ReadAsync(connection, transaction, "WHERE ended_at IS NULL FOR UPDATE", ct)).SingleOrDefault() is not { } drill)
        {
            return null;
        }

        await using var update = new NpgsqlCommand("UPDATE drills SET ended_at = $2, ended_by = $3 WHERE id = $1", connection, transaction);
        update.Parameters.AddWithValue(drill.DrillId);
        update.Parameters.AddWithValue(at);
        update.Parameters.AddWithValue(by);
        await update.ExecuteNonQueryAsync(ct);
        return drill with { EndedAt = at, EndedBy = by };
    }

    private static async Task<IReadOnlyList<Drill>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SelectDrill + " " + where, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var drills = new List<Drill>();
        while (await reader.ReadAsync(ct))
        {
            drills.Add(new Drill(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return drills;
    }
}
