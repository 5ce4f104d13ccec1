using System.Security.Claims;
using Bousai.Domain.Accounts;
using Bousai.Domain.Shelters;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>A shelter's live status as staff see it. The public sees it without the internal note and who changed it.</summary>
public sealed record ShelterState(
    string ShelterId,
    bool Open,
    int Occupancy,
    int? Capacity,
    bool DeclaredFull,
    CrowdingBand Crowding,
    DateTimeOffset? UpdatedAt,
    string? Note,
    string? UpdatedBy)
{
    public ShelterState ForPublic() => this with { Note = null, UpdatedBy = null };
}

/// <summary>What shelter staff post: open or closed, how many people are in, whether they declare it full.</summary>
public sealed record ShelterStatusUpdate(bool? Open, int? Occupancy, bool? DeclaredFull, string? Note);

public static class ShelterStatusEndpoints
{
    private const int MaxOccupancy = 100_000;
    private const int MaxNoteLength = 500;

    public static IEndpointRouteBuilder MapShelterStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPut("/api/shelters/{shelterId}/status", UpdateAsync)
            .RequireAuthorization(AccountEndpoints.StaffPolicy)
            .WithTags("Shelters")
            .WithSummary("Open or close a shelter and report its head count (its shelter staff or HQ)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<ShelterState>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string shelterId, ShelterStatusUpdate update, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!MayUpdate(user, shelterId))
        {
            return Problems.Forbidden("Only HQ and this shelter's own staff may change its status.");
        }

        var errors = new Dictionary<string, string[]>();
        if (update.Open is null) errors["open"] = ["Say whether the shelter is open (true) or closed (false)."];
        if (update.Occupancy is not (>= 0 and <= MaxOccupancy)) errors["occupancy"] = [$"The head count must be a whole number from 0 to {MaxOccupancy}."];
        if (update.Note?.Length > MaxNoteLength) errors["note"] = [$"The note is longer than {MaxNoteLength} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var change = await SituationChange.BeginAsync(db, ct);
        var (found, capacity) = await ShelterStore.LockAsync(change, shelterId, ct);
        if (!found) return Problems.NotFound("No such shelter", $"There is no shelter with id '{shelterId}'.");

        var open = update.Open!.Value;
        var occupancy = update.Occupancy!.Value;
        var declaredFull = open && (update.DeclaredFull ?? false);
        var state = new ShelterState(shelterId, open, occupancy, capacity, declaredFull,
            ShelterCrowding.Band(open, occupancy, capacity, declaredFull), time.GetUtcNow(),
            string.IsNullOrWhiteSpace(update.Note) ? null : update.Note.Trim(), user.Identity!.Name);

        await ShelterStore.SaveStatusAsync(change, state, ct);
        change.Record(new ShelterStatusChanged(state) { At = state.UpdatedAt!.Value });
        change.Audit(new AuditEntry(state.UpdatedBy!, "shelter.status", "shelter", shelterId,
            new Dictionary<string, object?> { ["open"] = open, ["occupancy"] = occupancy, ["declaredFull"] = declaredFull }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(state);
    }

    private static bool MayUpdate(ClaimsPrincipal user, string shelterId) =>
        user.IsInRole(Roles.Hq) || (user.IsInRole(Roles.Shelter) && AccountEndpoints.ShelterIds(user).Contains(shelterId));
}
