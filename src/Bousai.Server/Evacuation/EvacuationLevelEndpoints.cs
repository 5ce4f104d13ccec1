using System.Security.Claims;
using Bousai.Domain.EvacuationLevels;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Evacuation;

/// <summary>A district's 警戒レベル as issued by the town (0: none or lifted), who decided it and who entered it.</summary>
public sealed record DistrictEvacuation(string DistrictId, int Level, DateTimeOffset? IssuedAt, string? DecidedBy, string? EnteredBy)
{
    public DistrictEvacuation ForPublic() => this with { DecidedBy = null, EnteredBy = null };
}

/// <summary>HQ records a level the 本部長 decided: the system records, a person issues.</summary>
public sealed record EvacuationLevelDecision(int? Level, string? DecidedBy);

public static class EvacuationLevelEndpoints
{

    public static IEndpointRouteBuilder MapEvacuationApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPut("/api/districts/{districtId}/evacuation-level", IssueAsync)
            .RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithTags("Evacuation")
            .WithSummary("Record a 警戒レベル (3, 4, 5, or 0 to lift) issued for a district");
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

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        int previous;
        await using (var lookup = new NpgsqlCommand(
            """
            SELECT coalesce(l.level, 0) FROM districts d
            LEFT JOIN district_evacuation_levels l ON l.district_id = d.id
            WHERE d.id = $1 FOR UPDATE OF d
            """, connection, transaction))
        {
            lookup.Parameters.AddWithValue(districtId);
            var found = await lookup.ExecuteScalarAsync(ct);
            if (found is null)
            {
                return Problems.NotFound("No such district", $"There is no district with id '{districtId}'.");
            }

            previous = Convert.ToInt32(found);
        }

        var district = new DistrictEvacuation(districtId, decision.Level!.Value, time.GetUtcNow(), decision.DecidedBy!.Trim(), user.Identity!.Name);
        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO district_evacuation_levels (district_id, level, decided_by, entered_by, issued_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (district_id) DO UPDATE SET level = excluded.level, decided_by = excluded.decided_by,
                entered_by = excluded.entered_by, issued_at = excluded.issued_at
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue(districtId);
            upsert.Parameters.AddWithValue((short)district.Level);
            upsert.Parameters.AddWithValue(district.DecidedBy!);
            upsert.Parameters.AddWithValue(district.EnteredBy!);
            upsert.Parameters.AddWithValue(district.IssuedAt!.Value);
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await SituationEventLog.AppendAsync(connection, transaction,
            new DistrictEvacuationLevelChanged(district, previous) { At = district.IssuedAt!.Value }, ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(district.EnteredBy!, "evacuation.level", "district", districtId,
            new Dictionary<string, object?> { ["level"] = district.Level, ["previousLevel"] = previous, ["decidedBy"] = district.DecidedBy }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(district);
    }

    public static async Task<IReadOnlyList<DistrictEvacuation>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT d.id, coalesce(l.level, 0)::int, l.issued_at, l.decided_by, l.entered_by
            FROM districts d LEFT JOIN district_evacuation_levels l ON l.district_id = d.id
            ORDER BY d.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var districts = new List<DistrictEvacuation>();
        while (await reader.ReadAsync(ct))
        {
            districts.Add(new DistrictEvacuation(reader.GetString(0), reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return districts;
    }
}
