using System.Security.Claims;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Evacuation;

/// <summary>HQ issues a recommended level: who decided it (for example 本部長), and why when it is not the recommendation's reason.</summary>
public sealed record RecommendationIssue(string? DecidedBy, string? Reason);

/// <summary>HQ dismisses a recommendation, saying why.</summary>
public sealed record RecommendationDismissal(string? Reason);

/// <summary>
/// The system's recommendations of district levels and HQ's answers: issue (one action that starts from the
/// recommendation and records the level, which recommendation it answered, who, when and why) or dismiss with a reason.
/// </summary>
public static class EvacuationRecommendationEndpoints
{
    private const int Latest = 200;

    public static IServiceCollection AddEvacuationRecommendations(this IServiceCollection services)
    {
        services.AddSingleton<EvacuationRecommender>();
        services.AddHostedService(sp => sp.GetRequiredService<EvacuationRecommender>());
        return services;
    }

    public static IEndpointRouteBuilder MapEvacuationRecommendationApi(this IEndpointRouteBuilder routes)
    {
        var recommendations = routes.MapGroup("/api/evacuation/recommendations").WithTags("Evacuation")
            .RequireAuthorization(AccountEndpoints.HqPolicy);
        recommendations.MapGet("/", ListAsync).WithSummary("The system's latest recommendations of district levels, answered ones too, newest first");
        recommendations.MapPost("/{recommendationId:long}/issue", IssueAsync)
            .WithSummary("Issue the recommended level for its district (who decided it; the recommendation's reason unless another is given)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        recommendations.MapPost("/{recommendationId:long}/dismiss", DismissAsync)
            .WithSummary("Dismiss a recommendation, with the reason")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<EvacuationRecommendation>>> ListAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(await EvacuationRecommendationStore.ReadLatestAsync(connection, Latest, ct));
    }

    private static async Task<Results<Ok<DistrictEvacuation>, ValidationProblem, ProblemHttpResult>> IssueAsync(
        long recommendationId, RecommendationIssue issue, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(issue.DecidedBy) || issue.DecidedBy.Trim().Length > TextInput.MaxNameLength)
        {
            errors["decidedBy"] = [$"Name who decided it (for example 本部長), up to {TextInput.MaxNameLength} characters."];
        }

        if (issue.Reason is { } given && given.Trim().Length > EvacuationLevelEndpoints.MaxReasonLength)
        {
            errors["reason"] = [$"Say why in up to {EvacuationLevelEndpoints.MaxReasonLength} characters, or leave it empty for the recommendation's reason."];
        }

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await OpenAsync(change, recommendationId, ct) is not { } open) return Answered(recommendationId, await ExistsAsync(change, recommendationId, ct));
        var previous = (await DistrictEvacuationStore.LockLevelAsync(change, open.DistrictId, ct))!.Value;
        var now = time.GetUtcNow();
        var by = user.Identity!.Name!;
        var reason = string.IsNullOrWhiteSpace(issue.Reason) ? open.ReasonJa : issue.Reason.Trim();
        var district = new DistrictEvacuation(open.DistrictId, open.Level, now, issue.DecidedBy!.Trim(), by, reason, open.RecommendationId,
            await DrillStore.CurrentIdAsync(change.Connection, change.Transaction, ct));
        await DistrictEvacuationStore.SaveAsync(change, district, ct);
        var issued = await EvacuationRecommendationStore.AnswerAsync(change.Connection, change.Transaction, open, RecommendationStatus.Issued,
            by, now, reason, basisEnded: false, ct) ?? throw new InvalidOperationException("The locked recommendation was answered meanwhile.");
        change.Record(new DistrictEvacuationLevelChanged(district, previous) { At = now });
        change.RecordConsequence(new EvacuationRecommendationAnswered(issued) { At = now });
        change.Audit(new AuditEntry(by, "evacuation.level", "district", district.DistrictId, new Dictionary<string, object?>
        {
            ["level"] = district.Level, ["previousLevel"] = previous, ["decidedBy"] = district.DecidedBy, ["reason"] = district.Reason,
            ["recommendationId"] = open.RecommendationId,
        }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(district);
    }

    private static async Task<Results<Ok<EvacuationRecommendation>, ValidationProblem, ProblemHttpResult>> DismissAsync(
        long recommendationId, RecommendationDismissal dismissal, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(dismissal.Reason) || dismissal.Reason.Trim().Length > EvacuationLevelEndpoints.MaxReasonLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"Say why the recommendation is dismissed, up to {EvacuationLevelEndpoints.MaxReasonLength} characters."],
            });
        }

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await OpenAsync(change, recommendationId, ct) is not { } open) return Answered(recommendationId, await ExistsAsync(change, recommendationId, ct));
        var now = time.GetUtcNow();
        var by = user.Identity!.Name!;
        var dismissed = await EvacuationRecommendationStore.AnswerAsync(change.Connection, change.Transaction, open, RecommendationStatus.Dismissed,
            by, now, dismissal.Reason.Trim(), basisEnded: false, ct) ?? throw new InvalidOperationException("The locked recommendation was answered meanwhile.");
        change.Record(new EvacuationRecommendationAnswered(dismissed) { At = now });
        change.Audit(new AuditEntry(by, "evacuation.recommendation.dismiss", "evacuation_recommendation", open.RecommendationId.ToString(),
            new Dictionary<string, object?> { ["districtId"] = open.DistrictId, ["level"] = open.Level, ["reason"] = dismissed.AnswerReason }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(dismissed);
    }

    /// <summary>The recommendation, locked, when it is open; null when it is answered or not in the live picture.</summary>
    private static async Task<EvacuationRecommendation?> OpenAsync(SituationChange change, long id, CancellationToken ct) =>
        await EvacuationRecommendationStore.LockAsync(change.Connection, change.Transaction, id, ct) is { Status: RecommendationStatus.Open } open
            ? open
            : null;

    private static async Task<bool> ExistsAsync(SituationChange change, long id, CancellationToken ct) =>
        await EvacuationRecommendationStore.LockAsync(change.Connection, change.Transaction, id, ct) is not null;

    private static ProblemHttpResult Answered(long id, bool exists) => exists
        ? Problems.Conflict("Already answered", $"Recommendation {id} has already been issued, dismissed or superseded.")
        : Problems.NotFound("No such recommendation", $"There is no recommendation {id} in the live picture.");
}
