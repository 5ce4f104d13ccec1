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
            .WithSummary("Open or close a shelter and report its head count (its shelter staff or HQ)");
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

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        int? capacity;
        await using (var lookup = new NpgsqlCommand("SELECT capacity FROM shelters WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            lookup.Parameters.AddWithValue(shelterId);
            var found = await lookup.ExecuteScalarAsync(ct);
            if (found is null) return Problems.NotFound("No such shelter", $"There is no shelter with id '{shelterId}'.");
            capacity = found as int?;
        }

        var open = update.Open!.Value;
        var occupancy = update.Occupancy!.Value;
        var declaredFull = open && (update.DeclaredFull ?? false);
        var state = new ShelterState(shelterId, open, occupancy, capacity, declaredFull,
            ShelterCrowding.Band(open, occupancy, capacity, declaredFull), time.GetUtcNow(),
            string.IsNullOrWhiteSpace(update.Note) ? null : update.Note.Trim(), user.Identity!.Name);

        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO shelter_status (shelter_id, status, occupancy, declared_full, note, updated_by, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (shelter_id) DO UPDATE SET status = excluded.status, occupancy = excluded.occupancy,
                declared_full = excluded.declared_full, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue(shelterId);
            upsert.Parameters.AddWithValue(open ? "open" : "closed");
            upsert.Parameters.AddWithValue(occupancy);
            upsert.Parameters.AddWithValue(declaredFull);
            upsert.Parameters.AddWithValue((object?)state.Note ?? DBNull.Value);
            upsert.Parameters.AddWithValue(state.UpdatedBy!);
            upsert.Parameters.AddWithValue(state.UpdatedAt!.Value);
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await SituationEventLog.AppendAsync(connection, transaction, new ShelterStatusChanged(state) { At = state.UpdatedAt!.Value }, ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(state.UpdatedBy!, "shelter.status", "shelter", shelterId,
            new Dictionary<string, object?> { ["open"] = open, ["occupancy"] = occupancy, ["declaredFull"] = declaredFull }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(state);
    }

    /// <summary>Every shelter's status (closed, with no head count, until someone opens it), in one statement.</summary>
    public static async Task<IReadOnlyList<ShelterState>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT s.id, coalesce(st.status = 'open', false), coalesce(st.occupancy, 0), s.capacity,
                   coalesce(st.declared_full, false), st.updated_at, st.note, st.updated_by
            FROM shelters s LEFT JOIN shelter_status st ON st.shelter_id = s.id
            ORDER BY s.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var shelters = new List<ShelterState>();
        while (await reader.ReadAsync(ct))
        {
            var open = reader.GetBoolean(1);
            var occupancy = reader.GetInt32(2);
            int? capacity = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            var declaredFull = reader.GetBoolean(4);
            shelters.Add(new ShelterState(reader.GetString(0), open, occupancy, capacity, declaredFull,
                ShelterCrowding.Band(open, occupancy, capacity, declaredFull),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return shelters;
    }

    private static bool MayUpdate(ClaimsPrincipal user, string shelterId) =>
        user.IsInRole(Roles.Hq) || (user.IsInRole(Roles.Shelter) && AccountEndpoints.ShelterIds(user).Contains(shelterId));
}
