using System.Security.Claims;
using Bousai.Domain.Alerts;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Npgsql;

namespace Bousai.Server.Alerts;

/// <summary>The SQL of HQ alerts: raising and moving them (inside a situation change) and the snapshot's read.</summary>
public static class AlertStore
{
    private const string SelectAlert =
        """
        SELECT a.id, a.kind, a.level, a.district_id, a.message, a.status, a.raised_at, r.user_name, k.user_name, c.user_name,
               a.acknowledged_at, a.cleared_at, a.note
        FROM alerts a
        LEFT JOIN users r ON r.id = a.raised_by
        LEFT JOIN users k ON k.id = a.acknowledged_by
        LEFT JOIN users c ON c.id = a.cleared_by
        """;

    /// <summary>Saves a new alert and returns it as stored, or null when <see cref="NewAlert.DistrictId"/> names no district.</summary>
    public static async Task<AlertState?> InsertAsync(SituationChange change, NewAlert alert, ClaimsPrincipal by, DateTimeOffset at, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO alerts (kind, level, district_id, message, raised_at, raised_by)
            SELECT $1, $2, $3, $4, $5, $6
            WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM districts WHERE id = $3)
            RETURNING id
            """, change.Connection, change.Transaction);
        insert.Parameters.AddWithValue(alert.Kind!);
        insert.Parameters.AddWithValue(alert.Level is { } level ? (short)level : DBNull.Value);
        insert.Parameters.AddWithValue((object?)alert.DistrictId ?? DBNull.Value);
        insert.Parameters.AddWithValue(alert.Message!.Trim());
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(UserId(by));
        if (await insert.ExecuteScalarAsync(ct) is not long id) return null;
        return (await ReadAsync(change.Connection, change.Transaction, "WHERE a.id = $1", id, ct))[0];
    }

    /// <summary>The alert, locked for this change, or null when there is none.</summary>
    public static async Task<AlertState?> LockAsync(SituationChange change, long alertId, CancellationToken ct) =>
        (await ReadAsync(change.Connection, change.Transaction, "WHERE a.id = $1 FOR UPDATE OF a", alertId, ct)).SingleOrDefault();

    /// <summary>Records who acknowledged or cleared the alert and when (a note, when given, replaces the last); returns it as stored.</summary>
    public static async Task<AlertState> MoveAsync(SituationChange change, long alertId, AlertStatus to, string? note, ClaimsPrincipal by,
        DateTimeOffset at, CancellationToken ct)
    {
        var column = to switch
        {
            AlertStatus.Acknowledged => "acknowledged",
            AlertStatus.Cleared => "cleared",
            _ => throw new ArgumentOutOfRangeException(nameof(to), to, "An alert moves to acknowledged or cleared."),
        };
        await using (var update = new NpgsqlCommand(
            $"UPDATE alerts SET status = $2, {column}_by = $3, {column}_at = $4, note = coalesce($5, note) WHERE id = $1",
            change.Connection, change.Transaction))
        {
            update.Parameters.AddWithValue(alertId);
            update.Parameters.AddWithValue(DbEnum.Name(to));
            update.Parameters.AddWithValue(UserId(by));
            update.Parameters.AddWithValue(at);
            update.Parameters.AddWithValue(string.IsNullOrEmpty(note) ? DBNull.Value : note);
            await update.ExecuteNonQueryAsync(ct);
        }

        return (await ReadAsync(change.Connection, change.Transaction, "WHERE a.id = $1", alertId, ct))[0];
    }

    /// <summary>Alerts not yet cleared, newest first.</summary>
    public static Task<IReadOnlyList<AlertState>> ReadActiveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct) =>
        ReadAsync(connection, transaction, "WHERE a.status <> 'cleared' ORDER BY a.raised_at DESC", null, ct);

    private static async Task<IReadOnlyList<AlertState>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string where, long? id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SelectAlert + "\n" + where, connection, transaction);
        if (id is not null) command.Parameters.AddWithValue(id.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var alerts = new List<AlertState>();
        while (await reader.ReadAsync(ct))
        {
            alerts.Add(new AlertState(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt16(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), DbEnum.Parse<AlertStatus>(reader.GetString(5)),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return alerts;
    }

    private static long UserId(ClaimsPrincipal user) => long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
}
