using System.Security.Claims;
using Bousai.Domain.Accounts;
using Bousai.Domain.Alerts;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Store;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Alerts;

/// <summary>A station's threshold alert rules: HQ reads them (admins too, who tune them); an admin changes one (audited).</summary>
public static class AlertRuleEndpoints
{
    private const int MaxSeconds = 7 * 24 * 3600;

    public static IEndpointRouteBuilder MapAlertRuleApi(this IEndpointRouteBuilder routes)
    {
        var rules = routes.MapGroup("/api/stations/{stationId}/alert-rules").WithTags("Alerts");
        rules.MapGet("/", ListAsync).RequireAuthorization(policy => policy.RequireRole(Roles.Hq, Roles.Admin))
            .WithSummary("A station's threshold alert rules and where each stands")
            .ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapPut("/{kind}", SetAsync).RequireAuthorization(AccountEndpoints.AdminPolicy)
            .WithSummary("Change a station's threshold alert rule (admin; audited). The next evaluation uses it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<AlertRule>>, ProblemHttpResult>> ListAsync(string stationId, NpgsqlDataSource db,
        CancellationToken ct) =>
        await AlertRuleStore.ReadStationAsync(db, stationId, ct) is { } rules
            ? TypedResults.Ok(rules)
            : Problems.NotFound("No such station", $"There is no station '{stationId}'.");

    private static async Task<Results<Ok<AlertRule>, ValidationProblem, ProblemHttpResult>> SetAsync(string stationId, string kind,
        AlertRuleChange change, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!DbEnum.TryParse<ThresholdRuleKind>(kind, out var ruleKind))
        {
            return Problems.NotFound("No such rule kind", $"'{kind}' is not a rule kind ({DbEnum.Names<ThresholdRuleKind>()}).");
        }

        var errors = new Dictionary<string, string[]>();
        if (change.DurationSeconds is not (>= 0 and <= MaxSeconds)) errors["durationSeconds"] = [$"Say how long the condition must hold, 0 to {MaxSeconds} seconds."];
        if (change.ClearAfterSeconds is not (>= 0 and <= MaxSeconds)) errors["clearAfterSeconds"] = [$"Say how long the clear side must hold, 0 to {MaxSeconds} seconds."];
        if ((ruleKind == ThresholdRuleKind.GaugeSilence) != (change.ClearMargin is null))
        {
            errors["clearMargin"] = [ruleKind == ThresholdRuleKind.GaugeSilence
                ? "A gauge silence rule has no margin: it clears when readings resume."
                : "Say how far below the line the alert clears (metres, mm or soil water index, by kind)."];
        }

        if ((ruleKind == ThresholdRuleKind.SixtyMinuteRain) == (change.CriterionMm is null))
        {
            errors["criterionMm"] = [ruleKind == ThresholdRuleKind.SixtyMinuteRain
                ? "Say the station's 60-minute rain criterion in mm."
                : "Only a 60-minute rain rule has a criterion."];
        }

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rule = await AlertRuleStore.WithChangeAsync(connection, transaction, stationId, ruleKind, change, ct);
        if (rule is null)
        {
            return Problems.NotFound("No such rule", $"Station '{stationId}' has no {DbEnum.Name(ruleKind)} rule.");
        }

        if (rule.Problem is var (field, reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [RequestField(field)] = [reason] });
        }

        var by = user.Identity!.Name!;
        var saved = await AlertRuleStore.UpdateAsync(connection, transaction, stationId, ruleKind, change, by, time.GetUtcNow(), ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(by, "alert_rule.change", "alert_rule", $"{stationId}/{DbEnum.Name(ruleKind)}",
            new Dictionary<string, object?>
            {
                ["durationSeconds"] = change.DurationSeconds, ["clearAfterSeconds"] = change.ClearAfterSeconds,
                ["clearMargin"] = change.ClearMargin, ["criterionMm"] = change.CriterionMm,
            }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(saved);
    }

    /// <summary>The request's name for a field the domain's rule names (its margins are one field here, in the rule's unit).</summary>
    private static string RequestField(string domainField) => domainField switch
    {
        "duration" => "durationSeconds",
        "clearAfter" => "clearAfterSeconds",
        "clearMarginMetres" or "clearMarginMm" or "clearMarginSoilWaterIndex" => "clearMargin",
        _ => domainField,
    };
}
