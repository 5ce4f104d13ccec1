using System.Security.Claims;
using Bousai.Domain.Alerts;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Npgsql;

namespace Bousai.Server.Alerts;

/// <summary>
/// The SQL of HQ alerts: raising and moving them (inside a situation change), the system's raise, escalation and clear
/// of a threshold alert, and the snapshot's read (the live picture: real alerts and those of the drill in progress).
/// </summary>
public static class AlertStore
{
    private const string SelectAlert =
        """
        SELECT a.id, a.kind, a.level, a.district_id, a.message, a.status, a.raised_at,
               coalesce(r.user_name, CASE WHEN a.source = 'system' THEN 'system' END), k.user_name,
               coalesce(c.user_name, CASE WHEN a.cleared_at IS NOT NULL AND a.source = 'system' THEN 'system' END),
               a.acknowledged_at, a.cleared_at, a.note, a.source, a.station_id, a.rule_kind, a.step, a.level_equivalent, a.message_en,
               a.drill_id, a.updated_at
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
            INSERT INTO alerts (kind, level, district_id, message, raised_at, raised_by, drill_id)
            SELECT $1, $2, $3, $4, $5, $6, $7
            WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM districts WHERE id = $3)
            RETURNING id
            """, change.Connection, change.Transaction);
        insert.Parameters.AddWithValue(alert.Kind!);
        insert.Parameters.AddWithValue(alert.Level is { } level ? (short)level : DBNull.Value);
        insert.Parameters.AddWithValue((object?)alert.DistrictId ?? DBNull.Value);
        insert.Parameters.AddWithValue(alert.Message!.Trim());
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(UserId(by));
        insert.Parameters.AddWithValue((object?)await DrillStore.CurrentIdAsync(change.Connection, change.Transaction, ct) ?? DBNull.Value);
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

    /// <summary>Alerts not yet cleared in the live picture, newest first.</summary>
    public static Task<IReadOnlyList<AlertState>> ReadActiveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct) =>
        ReadAsync(connection, transaction, $"WHERE a.status <> 'cleared' AND {DrillStore.InLivePicture("a")} ORDER BY a.raised_at DESC", null, ct);

    /// <summary>A threshold alert raised by the system for a station's rule, marked with the drill in progress; returns it as stored.</summary>
    public static async Task<AlertState> InsertSystemAsync(SituationChange change, string stationId, ThresholdRuleKind rule, ThresholdDecision decision,
        DateTimeOffset at, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO alerts (kind, level, message, raised_at, source, station_id, rule_kind, step, level_equivalent, message_en, drill_id, updated_at)
            VALUES ($1, $2, $3, $4, 'system', $5, $6, $7, $2, $8, $9, $4)
            RETURNING id
            """, change.Connection, change.Transaction);
        insert.Parameters.AddWithValue(SystemKind(rule));
        insert.Parameters.AddWithValue(decision.AlertLevelEquivalent is { } level ? (short)level : DBNull.Value);
        insert.Parameters.AddWithValue(decision.MessageJa);
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(stationId);
        insert.Parameters.AddWithValue(DbEnum.Name(rule));
        insert.Parameters.AddWithValue(DbEnum.Name(decision.To));
        insert.Parameters.AddWithValue(decision.MessageEn);
        insert.Parameters.AddWithValue((object?)await DrillStore.CurrentIdAsync(change.Connection, change.Transaction, ct) ?? DBNull.Value);
        var id = (long)(await insert.ExecuteScalarAsync(ct))!;
        return (await ReadAsync(change.Connection, change.Transaction, "WHERE a.id = $1", id, ct))[0];
    }

    /// <summary>Moves a threshold alert up to the decision's step, level and message (its status, and who acknowledged it, stay); returns it as stored.</summary>
    public static async Task<AlertState> EscalateAsync(SituationChange change, long alertId, ThresholdDecision decision, DateTimeOffset at, CancellationToken ct)
    {
        await using (var update = new NpgsqlCommand(
            "UPDATE alerts SET step = $2, level = $3, level_equivalent = $3, message = $4, message_en = $5, updated_at = $6 WHERE id = $1",
            change.Connection, change.Transaction))
        {
            update.Parameters.AddWithValue(alertId);
            update.Parameters.AddWithValue(DbEnum.Name(decision.To));
            update.Parameters.AddWithValue(decision.AlertLevelEquivalent is { } level ? (short)level : DBNull.Value);
            update.Parameters.AddWithValue(decision.MessageJa);
            update.Parameters.AddWithValue(decision.MessageEn);
            update.Parameters.AddWithValue(at);
            await update.ExecuteNonQueryAsync(ct);
        }

        return (await ReadAsync(change.Connection, change.Transaction, "WHERE a.id = $1", alertId, ct))[0];
    }

    /// <summary>The system clears a threshold alert, with the clear message as its note; returns it as stored.</summary>
    public static async Task<AlertState> ClearBySystemAsync(SituationChange change, long alertId, string note, DateTimeOffset at, CancellationToken ct)
    {
        await using (var update = new NpgsqlCommand(
            "UPDATE alerts SET status = 'cleared', cleared_at = $2, note = $3, updated_at = $2 WHERE id = $1",
            change.Connection, change.Transaction))
        {
            update.Parameters.AddWithValue(alertId);
            update.Parameters.AddWithValue(at);
            update.Parameters.AddWithValue(note);
            await update.ExecuteNonQueryAsync(ct);
        }

        return (await ReadAsync(change.Connection, change.Transaction, "WHERE a.id = $1", alertId, ct))[0];
    }

    /// <summary>The alert's kind for a rule kind, as HQ's list groups them.</summary>
    public static string SystemKind(ThresholdRuleKind rule) => rule switch
    {
        ThresholdRuleKind.RiverStage => "water_level",
        ThresholdRuleKind.SixtyMinuteRain => "rain",
        ThresholdRuleKind.LocalLandslide => "landslide",
        ThresholdRuleKind.GaugeSilence => "gauge_silence",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

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
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.IsDBNull(15) ? null : DbEnum.Parse<ThresholdRuleKind>(reader.GetString(15)),
                reader.IsDBNull(16) ? null : DbEnum.Parse<ThresholdStep>(reader.GetString(16)),
                reader.IsDBNull(17) ? null : reader.GetInt16(17), reader.IsDBNull(18) ? null : reader.GetString(18),
                reader.IsDBNull(19) ? null : reader.GetInt64(19), reader.IsDBNull(20) ? null : reader.GetFieldValue<DateTimeOffset>(20)));
        }

        return alerts;
    }

    private static long UserId(ClaimsPrincipal user) => long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
}
