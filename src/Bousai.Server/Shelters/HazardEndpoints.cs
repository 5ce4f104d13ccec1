using System.Security.Claims;
using Bousai.Domain.Accounts;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>The active hazards (anyone) and HQ's declaration of one.</summary>
public static class HazardEndpoints
{
    private const int MaxReasonLength = 500;

    public static IEndpointRouteBuilder MapHazardApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/hazards", ReadAsync)
            .AllowAnonymous()
            .WithTags("Hazards")
            .WithSummary("The active hazards (flood, landslide) and what makes them active: gauges, the local estimate, HQ");
        routes.MapPut("/api/hazards/{hazard}", DeclareAsync)
            .RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithTags("Hazards")
            .WithSummary("HQ declares a hazard active or lifts its declaration, with the reason")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<HazardStatus>>> ReadAsync(ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var hazards = await HazardStore.ReadAnnouncedAsync(connection, null, forUpdate: false, ct);
        var staff = Roles.Staff.Any(user.IsInRole);
        return TypedResults.Ok<IReadOnlyList<HazardStatus>>(staff ? hazards : [.. hazards.Select(h => h.ForPublic())]);
    }

    private static async Task<Results<Ok<IReadOnlyList<HazardStatus>>, ValidationProblem, ProblemHttpResult>> DeclareAsync(
        string hazard, HazardDeclaration declaration, ClaimsPrincipal user, NpgsqlDataSource db, HazardMonitor monitor, TimeProvider time,
        CancellationToken ct)
    {
        if (!HazardStore.Declarable.Contains(hazard))
        {
            return Problems.NotFound("No such hazard", $"HQ declares '{string.Join("' or '", HazardStore.Declarable)}', not '{hazard}'.");
        }

        var errors = new Dictionary<string, string[]>();
        if (declaration.Active is null) errors["active"] = ["Say whether the hazard is active (true) or lifted (false)."];
        if (string.IsNullOrWhiteSpace(declaration.Reason)) errors["reason"] = ["Say why (for example 土砂災害警戒情報 発表)."];
        else if (declaration.Reason.Length > MaxReasonLength) errors["reason"] = [$"The reason is longer than {MaxReasonLength} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var actor = user.Identity!.Name!;
        var reason = declaration.Reason!.Trim();
        await using var change = await SituationChange.BeginAsync(db, ct);
        await HazardStore.SaveDeclarationAsync(change.Connection, change.Transaction, hazard, declaration.Active!.Value, reason, actor, time.GetUtcNow(), ct);
        var changed = await monitor.ChangedEventAsync(change.Connection, change.Transaction, ct);
        if (changed is null)
        {
            // Lifting a declaration that was not active changes nothing anyone sees: nothing to log.
            var current = await HazardStore.ReadAnnouncedAsync(change.Connection, change.Transaction, forUpdate: false, ct);
            return TypedResults.Ok(current);
        }

        change.Record(changed);
        change.Audit(new AuditEntry(actor, "hazard.declare", "hazard", hazard,
            new Dictionary<string, object?> { ["active"] = declaration.Active, ["reason"] = reason }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(changed.Hazards);
    }
}
