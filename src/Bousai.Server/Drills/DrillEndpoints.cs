using System.Security.Claims;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Drills;

public sealed record NewDrill(string? Name);

/// <summary>HQ starts and ends a drill. Ending it takes everything made during it away from the live picture.</summary>
public static class DrillEndpoints
{
    public static IEndpointRouteBuilder MapDrillApi(this IEndpointRouteBuilder routes)
    {
        var drills = routes.MapGroup("/api/drills").WithTags("Drills").RequireAuthorization(AccountEndpoints.HqPolicy);
        drills.MapPost("/", StartAsync).WithSummary("Start a drill (訓練): from now on everything made is marked 訓練 / EXERCISE")
            .ProducesProblem(StatusCodes.Status409Conflict);
        drills.MapPost("/current/end", EndAsync).WithSummary("End the drill in progress and clear its records from the live picture")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Created<Drill>, ValidationProblem, ProblemHttpResult>> StartAsync(
        NewDrill drill, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var name = drill.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > TextInput.MaxNameLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"Name the drill (for example 総合防災訓練), up to {TextInput.MaxNameLength} characters."],
            });
        }

        await using var change = await SituationChange.BeginAsync(db, ct);
        var now = time.GetUtcNow();
        var by = user.Identity!.Name!;
        if (await DrillStore.StartAsync(change.Connection, change.Transaction, name, by, now, ct) is not { } started)
        {
            return Problems.Conflict("A drill is already on", "End the drill in progress before starting another.");
        }

        change.Record(new DrillStarted(started) { At = now });
        change.Audit(new AuditEntry(by, "drill.start", "drill", started.DrillId.ToString(),
            new Dictionary<string, object?> { ["name"] = started.Name }));
        await change.CommitAsync(ct);
        return TypedResults.Created($"/api/drills/{started.DrillId}", started);
    }

    private static async Task<Results<Ok<Drill>, ProblemHttpResult>> EndAsync(
        ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var change = await SituationChange.BeginAsync(db, ct);
        var now = time.GetUtcNow();
        var by = user.Identity!.Name!;
        if (await DrillStore.EndAsync(change.Connection, change.Transaction, by, now, ct) is not { } ended)
        {
            return Problems.NotFound("No drill is on", "There is no drill in progress to end.");
        }

        change.Record(new DrillEnded(ended) { At = now });
        change.Audit(new AuditEntry(by, "drill.end", "drill", ended.DrillId.ToString()));
        await change.CommitAsync(ct);
        return TypedResults.Ok(ended);
    }
}
