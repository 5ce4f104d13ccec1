using System.Security.Claims;
using Bousai.Domain.Accounts;
using Bousai.Domain.Shelters;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>
/// What shelter staff post: open or closed, whether they declare it full, a note, and (optionally) an explicit
/// correction of the head count; without Occupancy the count is kept, so opening or a note never undoes taps counted
/// meanwhile from another phone.
/// </summary>
public sealed record ShelterStatusUpdate(bool? Open, int? Occupancy, bool? DeclaredFull, string? Note);

/// <summary>A batch of taps from one phone: people in (positive) or out (negative), once per client id.</summary>
public sealed record ShelterCount(Guid? ClientId, int? Delta);

/// <summary>HQ's change of a shelter's registry; absent fields stay as they are.</summary>
public sealed record ShelterRegistryUpdate(int? Capacity, bool? CapacityAssumed, IReadOnlyList<string>? Hazards, ShelterKind? Kind, bool? Accessible,
    string? Contact);

public static class ShelterStatusEndpoints
{
    private const int MaxOccupancy = 100_000;
    private const int MaxCapacity = 100_000;
    private const int MaxNoteLength = 500;
    private const int MaxContactLength = 200;
    private const int MaxDelta = 500;

    public static IEndpointRouteBuilder MapShelterStatusApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPut("/api/shelters/{shelterId}/status", UpdateAsync)
            .RequireAuthorization(AccountEndpoints.StaffPolicy)
            .WithTags("Shelters")
            .WithSummary("Open or close a shelter, declare it full, add a note or correct its head count (its shelter staff or HQ)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapPost("/api/shelters/{shelterId}/count", CountAsync)
            .RequireAuthorization(AccountEndpoints.StaffPolicy)
            .WithTags("Shelters")
            .WithSummary("Count people in or out of an open shelter, once per client id (its shelter staff or HQ)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        routes.MapPatch("/api/shelters/{shelterId}", UpdateRegistryAsync)
            .RequireAuthorization(AccountEndpoints.StaffPolicy)
            .WithTags("Shelters")
            .WithSummary("Change a shelter's registry: capacity, designated hazards, kind, accessible facilities, contact (HQ, admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("/api/shelters/{shelterId}/history", HistoryAsync)
            .RequireAuthorization(AccountEndpoints.StaffPolicy)
            .WithTags("Shelters")
            .WithSummary("A shelter's changes, oldest first, for the head count chart (staff)")
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
        if (update.Occupancy is not null and not (>= 0 and <= MaxOccupancy)) errors["occupancy"] = [$"The head count must be a whole number from 0 to {MaxOccupancy}."];
        if (update.Note?.Length > MaxNoteLength) errors["note"] = [$"The note is longer than {MaxNoteLength} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var change = await SituationChange.BeginAsync(db, ct);
        var before = await ShelterStore.LockAsync(change, shelterId, ct);
        if (before is null) return Problems.NotFound("No such shelter", $"There is no shelter with id '{shelterId}'.");

        var open = update.Open!.Value;
        var occupancy = update.Occupancy ?? before.Occupancy;
        var declaredFull = open && (update.DeclaredFull ?? false);
        var note = string.IsNullOrWhiteSpace(update.Note) ? null : update.Note.Trim();
        var now = time.GetUtcNow();
        var state = before with
        {
            Open = open, Occupancy = occupancy, DeclaredFull = declaredFull, Note = note, UpdatedAt = now, UpdatedBy = user.Identity!.Name,
            Crowding = ShelterCrowding.Band(open, occupancy, before.Capacity, declaredFull),
        };

        await ShelterStore.SaveStatusAsync(change, state, ct);
        await ShelterStore.AddHistoryAsync(change, state, WhatChanged(before, state), state.UpdatedBy!, now, ct);
        change.Record(new ShelterStatusChanged(state) { At = now });
        change.Audit(new AuditEntry(state.UpdatedBy!, "shelter.status", "shelter", shelterId,
            new Dictionary<string, object?> { ["open"] = open, ["occupancy"] = occupancy, ["declaredFull"] = declaredFull }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(state);
    }

    /// <summary>The one change a status update is charted as: opening or closing first, then the full declaration, the correction, the note.</summary>
    private static ShelterChange WhatChanged(ShelterState before, ShelterState after) => (before, after) switch
    {
        _ when after.Open && (!before.Open || before.UpdatedAt is null) => ShelterChange.Opened,
        _ when !after.Open && before.Open => ShelterChange.Closed,
        _ when after.DeclaredFull && !before.DeclaredFull => ShelterChange.DeclaredFull,
        _ when !after.DeclaredFull && before.DeclaredFull => ShelterChange.FullLifted,
        _ when after.Occupancy != before.Occupancy => ShelterChange.Correction,
        _ => ShelterChange.Note,
    };

    private static async Task<Results<Ok<ShelterState>, ValidationProblem, ProblemHttpResult>> CountAsync(
        string shelterId, ShelterCount count, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!MayUpdate(user, shelterId))
        {
            return Problems.Forbidden("Only HQ and this shelter's own staff may count people in or out of it.");
        }

        var errors = new Dictionary<string, string[]>();
        if (count.ClientId is not { } clientId || clientId == Guid.Empty) errors["clientId"] = ["Send the batch's client id (a UUID made on the device)."];
        if (count.Delta is not (>= -MaxDelta and <= MaxDelta and not 0)) errors["delta"] = [$"The change must be a whole number from -{MaxDelta} to {MaxDelta}, not 0."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var delta = count.Delta!.Value;
        var actor = user.Identity!.Name!;
        var now = time.GetUtcNow();
        await using var change = await SituationChange.BeginAsync(db, ct);
        if (!await ShelterStore.ExistsAsync(change.Connection, change.Transaction, shelterId, ct)) return Problems.NotFound("No such shelter", $"There is no shelter with id '{shelterId}'.");
        var earlier = await ShelterStore.ClaimCountAsync(change, count.ClientId!.Value, shelterId, delta, actor, now, ct);
        if (earlier is not null)
        {
            if (earlier.ShelterId != shelterId || earlier.Delta != delta)
            {
                return Problems.Conflict("Client id already used",
                    $"This client id was already counted as {earlier.Delta:+#;-#} at shelter '{earlier.ShelterId}'; a new batch needs a new client id.");
            }

            // A retry: the batch is counted once; it gets the shelter as it is now.
            var current = await ShelterStore.ReadAsync(change.Connection, change.Transaction, shelterId, ct);
            return TypedResults.Ok(current!);
        }

        var counted = await ShelterStore.AddToCountAsync(change, count.ClientId!.Value, shelterId, delta, actor, now, ct);
        if (counted is null) return Problems.Conflict("Shelter not open", $"Shelter '{shelterId}' is not open: open it before counting people in.");

        var state = (await ShelterStore.ReadAsync(change.Connection, change.Transaction, shelterId, ct))!;
        await ShelterStore.AddHistoryAsync(change, state, ShelterChange.Count, actor, now, ct);
        change.Record(new ShelterStatusChanged(state) { At = now });
        change.Audit(new AuditEntry(actor, "shelter.count", "shelter", shelterId, new Dictionary<string, object?>
        {
            ["clientId"] = count.ClientId, ["delta"] = delta, ["before"] = counted.Value.Before, ["after"] = counted.Value.After,
        }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(state);
    }

    private static async Task<Results<Ok<ShelterState>, ValidationProblem, ProblemHttpResult>> UpdateRegistryAsync(
        string shelterId, ShelterRegistryUpdate update, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!Roles.RegistryEditors.Any(user.IsInRole))
        {
            return Problems.Forbidden("Only HQ and admins may change the shelter registry.");
        }

        var errors = new Dictionary<string, string[]>();
        if (update.Capacity is not null and not (>= 0 and <= MaxCapacity)) errors["capacity"] = [$"The capacity must be a whole number from 0 to {MaxCapacity}."];
        if (update.Hazards is { } hazards && hazards.FirstOrDefault(h => !Hazards.IsKnown(h)) is { } unknown)
        {
            errors["hazards"] = [$"'{unknown}' is not a hazard; use {string.Join(", ", Hazards.All)}."];
        }

        if (update.Contact?.Length > MaxContactLength) errors["contact"] = [$"The contact is longer than {MaxContactLength} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var change = await SituationChange.BeginAsync(db, ct);
        var before = await ShelterStore.LockAsync(change, shelterId, ct);
        if (before is null) return Problems.NotFound("No such shelter", $"There is no shelter with id '{shelterId}'.");

        var hazardsBefore = await ShelterStore.HazardsOfAsync(change, shelterId, ct);
        var contact = update.Contact is null ? before.Contact : string.IsNullOrWhiteSpace(update.Contact) ? null : update.Contact.Trim();
        var registry = new ShelterStore.Registry(update.Capacity ?? before.Capacity, update.CapacityAssumed ?? before.CapacityAssumed,
            update.Hazards is { } chosen ? [.. Hazards.All.Where(chosen.Contains)] : hazardsBefore, update.Kind ?? before.Kind,
            update.Accessible ?? before.Accessible, contact);
        await ShelterStore.SaveRegistryAsync(change, shelterId, registry, ct);
        var state = (await ShelterStore.ReadAsync(change.Connection, change.Transaction, shelterId, ct))!;
        var now = time.GetUtcNow();
        var actor = user.Identity!.Name!;
        await ShelterStore.AddHistoryAsync(change, state, ShelterChange.Registry, actor, now, ct);
        change.Record(new ShelterRegistryChanged(state) { At = now });
        change.Audit(new AuditEntry(actor, "shelter.registry", "shelter", shelterId, new Dictionary<string, object?>
        {
            ["before"] = RegistryDetails(before.Capacity, before.CapacityAssumed, hazardsBefore, before.Kind, before.Accessible, before.Contact),
            ["after"] = RegistryDetails(registry.Capacity, registry.CapacityAssumed, registry.Hazards, registry.Kind, registry.Accessible, registry.Contact),
        }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(state);
    }

    private static Dictionary<string, object?> RegistryDetails(int? capacity, bool capacityAssumed, IReadOnlyList<string> hazards, ShelterKind kind,
        bool accessible, string? contact) => new()
    {
        ["capacity"] = capacity, ["capacityAssumed"] = capacityAssumed, ["hazards"] = hazards, ["kind"] = DbEnum.Name(kind),
        ["accessible"] = accessible, ["contact"] = contact,
    };

    private static async Task<Results<Ok<IReadOnlyList<ShelterHistoryEntry>>, ProblemHttpResult>> HistoryAsync(
        string shelterId, DateTimeOffset? since, DateTimeOffset? until, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await ShelterStore.ExistsAsync(connection, null, shelterId, ct)) return Problems.NotFound("No such shelter", $"There is no shelter with id '{shelterId}'.");
        return TypedResults.Ok(await ShelterStore.ReadHistoryAsync(connection, shelterId, since, until, ct));
    }

    private static bool MayUpdate(ClaimsPrincipal user, string shelterId) =>
        user.IsInRole(Roles.Hq) || (user.IsInRole(Roles.Shelter) && AccountEndpoints.ShelterIds(user).Contains(shelterId));
}
