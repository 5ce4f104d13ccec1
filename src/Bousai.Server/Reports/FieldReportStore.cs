using System.Security.Claims;
using Bousai.Domain.Reports;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Npgsql;

namespace Bousai.Server.Reports;

/// <summary>The SQL of field reports: submission and triage (inside a situation change) and the snapshot's read.</summary>
public static class FieldReportStore
{
    private const string SelectReport =
        """
        SELECT r.id, r.category, r.status, r.verified, ST_X(r.geom), ST_Y(r.geom), r.reported_at, r.description, u.user_name, r.internal_note
        FROM field_reports r JOIN users u ON u.id = r.reported_by
        """;

    /// <summary>Whether a point is inside the town or within <paramref name="metres"/> of its boundary.</summary>
    public static async Task<bool> IsNearTownAsync(SituationChange change, double longitude, double latitude, double metres, CancellationToken ct)
    {
        await using var near = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT 1 FROM town_boundaries
                           WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3))
            """, change.Connection, change.Transaction);
        near.Parameters.AddWithValue(longitude);
        near.Parameters.AddWithValue(latitude);
        near.Parameters.AddWithValue(metres);
        return (bool)(await near.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Saves a new report and returns it as stored.</summary>
    public static async Task<FieldReport> InsertAsync(SituationChange change, FieldReportCategory category, string description,
        double longitude, double latitude, ClaimsPrincipal by, DateTimeOffset at, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO field_reports (category, description, reported_by, reported_at, updated_at, geom)
            VALUES ($1, $2, $3, $4, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326)) RETURNING id
            """, change.Connection, change.Transaction);
        insert.Parameters.AddWithValue(DbEnum.Name(category));
        insert.Parameters.AddWithValue(description);
        insert.Parameters.AddWithValue(long.Parse(by.FindFirstValue(ClaimTypes.NameIdentifier)!));
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(longitude);
        insert.Parameters.AddWithValue(latitude);
        var id = (long)(await insert.ExecuteScalarAsync(ct))!;
        return (await ReadAsync(change.Connection, change.Transaction, "WHERE r.id = $1", id, ct))[0];
    }

    /// <summary>The report, locked for this change, or null when there is none.</summary>
    public static async Task<FieldReport?> LockAsync(SituationChange change, long reportId, CancellationToken ct) =>
        (await ReadAsync(change.Connection, change.Transaction, "WHERE r.id = $1 FOR UPDATE OF r", reportId, ct)).SingleOrDefault();

    /// <summary>Applies HQ's triage (null fields stay; an empty note removes it) and returns the report as stored.</summary>
    public static async Task<FieldReport> TriageAsync(SituationChange change, long reportId, FieldReportStatus? status, bool? verified,
        string? internalNote, DateTimeOffset at, CancellationToken ct)
    {
        await using (var update = new NpgsqlCommand(
            """
            UPDATE field_reports SET status = coalesce($2, status), verified = coalesce($3, verified),
                internal_note = CASE WHEN $4::text IS NULL THEN internal_note ELSE nullif(btrim($4), '') END, updated_at = $5
            WHERE id = $1
            """, change.Connection, change.Transaction))
        {
            update.Parameters.AddWithValue(reportId);
            update.Parameters.AddWithValue(status is { } s ? DbEnum.Name(s) : DBNull.Value);
            update.Parameters.AddWithValue((object?)verified ?? DBNull.Value);
            update.Parameters.AddWithValue((object?)internalNote ?? DBNull.Value);
            update.Parameters.AddWithValue(at);
            await update.ExecuteNonQueryAsync(ct);
        }

        return (await ReadAsync(change.Connection, change.Transaction, "WHERE r.id = $1", reportId, ct))[0];
    }

    /// <summary>Reports HQ still works on, and those closed in the last day, newest first.</summary>
    public static Task<IReadOnlyList<FieldReport>> ReadCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        bool verifiedOnly, CancellationToken ct) =>
        ReadAsync(connection, transaction,
            $"""
             WHERE (r.status <> 'resolved' OR r.updated_at > now() - interval '24 hours') {(verifiedOnly ? "AND r.verified" : "")}
             ORDER BY r.reported_at DESC LIMIT 1000
             """, null, ct);

    private static async Task<IReadOnlyList<FieldReport>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string where, long? id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SelectReport + "\n" + where, connection, transaction);
        if (id is not null) command.Parameters.AddWithValue(id.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var reports = new List<FieldReport>();
        while (await reader.ReadAsync(ct))
        {
            reports.Add(new FieldReport(reader.GetInt64(0), DbEnum.Parse<FieldReportCategory>(reader.GetString(1)),
                DbEnum.Parse<FieldReportStatus>(reader.GetString(2)), reader.GetBoolean(3), reader.GetDouble(4), reader.GetDouble(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return reports;
    }
}
