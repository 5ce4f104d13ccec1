using System.Security.Claims;
using System.Text.RegularExpressions;
using Bousai.Domain.Alerts;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Alerts;

/// <summary>An HQ alert: something staff must look at, raised by a person or (later) by the gauges, then acknowledged and cleared.</summary>
public sealed record AlertState(
    long AlertId,
    string Kind,
    int? Level,
    string? DistrictId,
    string Message,
    AlertStatus Status,
    DateTimeOffset RaisedAt,
    string? RaisedBy,
    string? AcknowledgedBy,
    string? ClearedBy);

public sealed record NewAlert(string? Kind, int? Level, string? DistrictId, string? Message);

public sealed record AlertClearance(string? Note);

public static partial class AlertEndpoints
{
    private const int MaxMessageLength = 1_000;

    private const string SelectAlert =
        """
        SELECT a.id, a.kind, a.level, a.district_id, a.message, a.status, a.raised_at, r.user_name, k.user_name, c.user_name
        FROM alerts a
        LEFT JOIN users r ON r.id = a.raised_by
        LEFT JOIN users k ON k.id = a.acknowledged_by
        LEFT JOIN users c ON c.id = a.cleared_by
        """;

    public static IEndpointRouteBuilder MapAlertApi(this IEndpointRouteBuilder routes)
    {
        var alerts = routes.MapGroup("/api/alerts").WithTags("Alerts").RequireAuthorization(AccountEndpoints.HqPolicy);
        alerts.MapPost("/", RaiseAsync).WithSummary("Raise an alert for HQ");
        alerts.MapPost("/{alertId:long}/acknowledge", AcknowledgeAsync).WithSummary("Acknowledge an alert: someone is on it");
        alerts.MapPost("/{alertId:long}/clear", ClearAsync).WithSummary("Clear an alert");
        return routes;
    }

    private static async Task<Results<Created<AlertState>, ValidationProblem>> RaiseAsync(
        NewAlert alert, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (alert.Kind is null || !KindPattern().IsMatch(alert.Kind)) errors["kind"] = ["Kind is a short lower-case word such as water_level or evacuation."];
        if (alert.Level is not (null or (>= 1 and <= 5))) errors["level"] = ["Level, when given, is a 警戒レベル from 1 to 5."];
        if (string.IsNullOrWhiteSpace(alert.Message) || alert.Message.Length > MaxMessageLength) errors["message"] = [$"Say what is wrong, up to {MaxMessageLength} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        long id;
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO alerts (kind, level, district_id, message, raised_at, raised_by)
            SELECT $1, $2, $3, $4, $5, $6
            WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM districts WHERE id = $3)
            RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(alert.Kind!);
            insert.Parameters.AddWithValue(alert.Level is { } level ? (short)level : DBNull.Value);
            insert.Parameters.AddWithValue((object?)alert.DistrictId ?? DBNull.Value);
            insert.Parameters.AddWithValue(alert.Message!.Trim());
            insert.Parameters.AddWithValue(now);
            insert.Parameters.AddWithValue(UserId(user));
            if (await insert.ExecuteScalarAsync(ct) is not long inserted)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["districtId"] = [$"There is no district '{alert.DistrictId}'."] });
            }

            id = inserted;
        }

        var saved = (await ReadAsync(connection, transaction, "WHERE a.id = $1", id, ct))[0];
        await SituationEventLog.AppendAsync(connection, transaction, new AlertRaised(saved) { At = now }, ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(user.Identity!.Name!, "alert.raise", "alert", id.ToString(),
            new Dictionary<string, object?> { ["kind"] = saved.Kind, ["level"] = saved.Level }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/alerts/{id}", saved);
    }

    private static Task<Results<Ok<AlertState>, ValidationProblem, ProblemHttpResult>> AcknowledgeAsync(
        long alertId, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MoveAsync(alertId, AlertStatus.Acknowledged, AlertLifecycle.CanAcknowledge, note: null, user, db, time, ct);

    private static Task<Results<Ok<AlertState>, ValidationProblem, ProblemHttpResult>> ClearAsync(
        long alertId, AlertClearance? clearance, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct) =>
        MoveAsync(alertId, AlertStatus.Cleared, AlertLifecycle.CanClear, clearance?.Note?.Trim(), user, db, time, ct);

    private static async Task<Results<Ok<AlertState>, ValidationProblem, ProblemHttpResult>> MoveAsync(
        long alertId, AlertStatus to, Func<AlertStatus, bool> allowed, string? note, ClaimsPrincipal user, NpgsqlDataSource db,
        TimeProvider time, CancellationToken ct)
    {
        if (note?.Length > MaxMessageLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [$"The note is longer than {MaxMessageLength} characters."] });
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var before = await ReadAsync(connection, transaction, "WHERE a.id = $1 FOR UPDATE OF a", alertId, ct);
        if (before.Count == 0)
        {
            return Problems.NotFound("No such alert", $"There is no alert {alertId}.");
        }

        if (!allowed(before[0].Status))
        {
            return Problems.Conflict("The alert cannot move that way", $"Alert {alertId} is {DbEnum.Name(before[0].Status)}; it cannot become {DbEnum.Name(to)}.");
        }

        var now = time.GetUtcNow();
        var by = user.Identity!.Name!;
        var column = to == AlertStatus.Acknowledged ? "acknowledged" : "cleared";
        await using (var update = new NpgsqlCommand(
            $"UPDATE alerts SET status = $2, {column}_by = $3, {column}_at = $4, note = coalesce($5, note) WHERE id = $1",
            connection, transaction))
        {
            update.Parameters.AddWithValue(alertId);
            update.Parameters.AddWithValue(DbEnum.Name(to));
            update.Parameters.AddWithValue(UserId(user));
            update.Parameters.AddWithValue(now);
            update.Parameters.AddWithValue(string.IsNullOrEmpty(note) ? DBNull.Value : note);
            await update.ExecuteNonQueryAsync(ct);
        }

        SituationEvent change = to == AlertStatus.Acknowledged
            ? new AlertAcknowledged(alertId, by) { At = now }
            : new AlertCleared(alertId, by, string.IsNullOrEmpty(note) ? null : note) { At = now };
        await SituationEventLog.AppendAsync(connection, transaction, change, ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(by, "alert." + DbEnum.Name(to), "alert", alertId.ToString()), ct);
        var after = (await ReadAsync(connection, transaction, "WHERE a.id = $1", alertId, ct))[0];
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(after);
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
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return alerts;
    }

    private static long UserId(ClaimsPrincipal user) => long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);

    [GeneratedRegex("^[a-z][a-z0-9_]{1,39}$")]
    private static partial Regex KindPattern();
}
