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

/// <summary>
/// An HQ alert: something staff must look at, raised by a person (Source "hq") or by a station's threshold rule
/// (Source "system": StationId, RuleKind, Step, LevelEquivalent = Level, the message in Japanese and MessageEn), then
/// acknowledged and cleared, with who and when for each step and the last note. A system alert escalates in place
/// (UpdatedAt) and is cleared by "system" with the clear message as its note. DrillId: raised during that drill.
/// Staff only: the public hub never carries alerts.
/// </summary>
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
    string? ClearedBy,
    DateTimeOffset? AcknowledgedAt = null,
    DateTimeOffset? ClearedAt = null,
    string? Note = null,
    string Source = "hq",
    string? StationId = null,
    ThresholdRuleKind? RuleKind = null,
    ThresholdStep? Step = null,
    int? LevelEquivalent = null,
    string? MessageEn = null,
    long? DrillId = null,
    DateTimeOffset? UpdatedAt = null);

public sealed record NewAlert(string? Kind, int? Level, string? DistrictId, string? Message);

public sealed record AlertClearance(string? Note);

public static partial class AlertEndpoints
{
    private const int MaxMessageLength = 1_000;

    public static IEndpointRouteBuilder MapAlertApi(this IEndpointRouteBuilder routes)
    {
        var alerts = routes.MapGroup("/api/alerts").WithTags("Alerts").RequireAuthorization(AccountEndpoints.HqPolicy);
        alerts.MapPost("/", RaiseAsync).WithSummary("Raise an alert for HQ");
        alerts.MapPost("/{alertId:long}/acknowledge", AcknowledgeAsync).WithSummary("Acknowledge an alert: someone is on it")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        alerts.MapPost("/{alertId:long}/clear", ClearAsync).WithSummary("Clear an alert")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
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

        await using var change = await SituationChange.BeginAsync(db, ct);
        var now = time.GetUtcNow();
        if (await AlertStore.InsertAsync(change, alert, user, now, ct) is not { } saved)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["districtId"] = [$"There is no district '{alert.DistrictId}'."] });
        }

        change.Record(new AlertRaised(saved) { At = now });
        change.Audit(new AuditEntry(user.Identity!.Name!, "alert.raise", "alert", saved.AlertId.ToString(),
            new Dictionary<string, object?> { ["kind"] = saved.Kind, ["level"] = saved.Level }));
        await change.CommitAsync(ct);
        return TypedResults.Created($"/api/alerts/{saved.AlertId}", saved);
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

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await AlertStore.LockAsync(change, alertId, ct) is not { } before)
        {
            return Problems.NotFound("No such alert", $"There is no alert {alertId}.");
        }

        if (!allowed(before.Status))
        {
            return Problems.Conflict("The alert cannot move that way", $"Alert {alertId} is {DbEnum.Name(before.Status)}; it cannot become {DbEnum.Name(to)}.");
        }

        var now = time.GetUtcNow();
        var by = user.Identity!.Name!;
        var after = await AlertStore.MoveAsync(change, alertId, to, note, user, now, ct);
        change.Record(to == AlertStatus.Acknowledged
            ? new AlertAcknowledged(alertId, by, after.AcknowledgedAt) { At = now }
            : new AlertCleared(alertId, by, string.IsNullOrEmpty(note) ? null : note, after.ClearedAt) { At = now });
        change.Audit(new AuditEntry(by, "alert." + DbEnum.Name(to), "alert", alertId.ToString()));
        await change.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{1,39}$")]
    private static partial Regex KindPattern();
}
