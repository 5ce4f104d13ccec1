using System.Security.Claims;
using Bousai.Domain.EvacuationLevels;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Evacuation;

/// <summary>
/// A district's 警戒レベル as issued by the town (0: none or lifted), why, who decided it and who entered it. The
/// reason is public, as the order itself states it; the names of staff are not. RecommendationId: the system's
/// recommendation it answered, when it was issued from one; DrillId: the drill it was issued in (null = real).
/// </summary>
public sealed record DistrictEvacuation(string DistrictId, int Level, DateTimeOffset? IssuedAt, string? DecidedBy, string? EnteredBy,
    string? Reason = null, long? RecommendationId = null, long? DrillId = null)
{
    public DistrictEvacuation ForPublic() => this with { DecidedBy = null, EnteredBy = null };
}

/// <summary>HQ records a level the 本部長 decided, and why (lifting too): the system records, a person issues.</summary>
public sealed record EvacuationLevelDecision(int? Level, string? DecidedBy, string? Reason);

public static class EvacuationLevelEndpoints
{
    public const int MaxReasonLength = 500;

    public static IEndpointRouteBuilder MapEvacuationApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPut("/api/districts/{districtId}/evacuation-level", IssueAsync)
            .RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithTags("Evacuation")
            .WithSummary("Record a 警戒レベル (3, 4, 5, or 0 to lift) issued for a district, with the reason")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<DistrictEvacuation>, ValidationProblem, ProblemHttpResult>> IssueAsync(
        string districtId, EvacuationLevelDecision decision, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (decision.Level is not { } level || !EvacuationLevel.CanBeIssuedByTown(level))
        {
            errors["level"] = ["The town issues level 3 (高齢者等避難), 4 (避難指示) or 5 (緊急安全確保), or 0 to lift."];
        }

        if (string.IsNullOrWhiteSpace(decision.DecidedBy) || decision.DecidedBy.Trim().Length > TextInput.MaxNameLength)
        {
            errors["decidedBy"] = [$"Name who decided it (for example 本部長), up to {TextInput.MaxNameLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(decision.Reason) || decision.Reason.Trim().Length > MaxReasonLength)
        {
            errors["reason"] = [$"Say why the level is issued or lifted (the order states it), up to {MaxReasonLength} characters."];
        }

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await DistrictEvacuationStore.LockLevelAsync(change, districtId, ct) is not { } previous)
        {
            return Problems.NotFound("No such district", $"There is no district with id '{districtId}'.");
        }

        var district = new DistrictEvacuation(districtId, decision.Level!.Value, time.GetUtcNow(), decision.DecidedBy!.Trim(), user.Identity!.Name,
            decision.Reason!.Trim(), DrillId: await DrillStore.CurrentIdAsync(change.Connection, change.Transaction, ct));
        await DistrictEvacuationStore.SaveAsync(change, district, ct);
        change.Record(new DistrictEvacuationLevelChanged(district, previous) { At = district.IssuedAt!.Value });
        change.Audit(new AuditEntry(district.EnteredBy!, "evacuation.level", "district", districtId,
            new Dictionary<string, object?>
            {
                ["level"] = district.Level, ["previousLevel"] = previous, ["decidedBy"] = district.DecidedBy, ["reason"] = district.Reason,
            }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(district);
    }
}
