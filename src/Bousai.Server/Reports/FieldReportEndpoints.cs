using System.Security.Claims;
using Bousai.Domain.Reports;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Reports;

/// <summary>A field report as staff see it. The public sees verified reports only, without free text or who sent them.</summary>
public sealed record FieldReport(
    long ReportId,
    FieldReportCategory Category,
    FieldReportStatus Status,
    bool Verified,
    double Longitude,
    double Latitude,
    DateTimeOffset ReportedAt,
    string? Description,
    string? ReportedBy,
    string? InternalNote)
{
    public FieldReport ForPublic() => this with { Description = null, ReportedBy = null, InternalNote = null };
}

/// <summary>What a field crew posts from the ground.</summary>
public sealed record NewFieldReport(string? Category, string? Description, double? Longitude, double? Latitude);

/// <summary>HQ's triage of a report; fields left out stay as they are.</summary>
public sealed record FieldReportTriage(string? Status, bool? Verified, string? InternalNote);

public static class FieldReportEndpoints
{
    private const int MaxDescriptionLength = 2_000;
    private const int MaxNoteLength = 1_000;
    /// <summary>Reports may come from just outside the town line (a road blocked at the boundary), not from elsewhere.</summary>
    private const double MaxDistanceOutsideTownMetres = 5_000;

    private const string SelectReport =
        """
        SELECT r.id, r.category, r.status, r.verified, ST_X(r.geom), ST_Y(r.geom), r.reported_at, r.description, u.user_name, r.internal_note
        FROM field_reports r JOIN users u ON u.id = r.reported_by
        """;

    public static IEndpointRouteBuilder MapFieldReportApi(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/reports").WithTags("Field reports");
        reports.MapPost("/", SubmitAsync).RequireAuthorization(AccountEndpoints.StaffPolicy).WithSummary("Post a geotagged report from the field");
        reports.MapPatch("/{reportId:long}", TriageAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Verify a report, set its status, or add an internal note (HQ)");
        return routes;
    }

    private static async Task<Results<Created<FieldReport>, ValidationProblem>> SubmitAsync(
        NewFieldReport report, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DbEnum.TryParse<FieldReportCategory>(report.Category, out var category))
        {
            errors["category"] = ["Category must be one of " + DbEnum.Names<FieldReportCategory>() + "."];
        }

        if (string.IsNullOrWhiteSpace(report.Description) || report.Description.Length > MaxDescriptionLength)
        {
            errors["description"] = [$"Describe what you see, up to {MaxDescriptionLength} characters."];
        }

        if (report.Longitude is not (>= -180 and <= 180) || report.Latitude is not (>= -90 and <= 90))
        {
            errors["location"] = ["Longitude and latitude (WGS 84 degrees) are required."];
        }

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var near = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT 1 FROM town_boundaries
                           WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3))
            """, connection, transaction))
        {
            near.Parameters.AddWithValue(report.Longitude!.Value);
            near.Parameters.AddWithValue(report.Latitude!.Value);
            near.Parameters.AddWithValue(MaxDistanceOutsideTownMetres);
            if (!(bool)(await near.ExecuteScalarAsync(ct))!)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["location"] = [$"The location is more than {MaxDistanceOutsideTownMetres / 1000:0} km outside the town."],
                });
            }
        }

        var now = time.GetUtcNow();
        long id;
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO field_reports (category, description, reported_by, reported_at, updated_at, geom)
            VALUES ($1, $2, $3, $4, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326)) RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue(DbEnum.Name(category));
            insert.Parameters.AddWithValue(report.Description!.Trim());
            insert.Parameters.AddWithValue(long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!));
            insert.Parameters.AddWithValue(now);
            insert.Parameters.AddWithValue(report.Longitude!.Value);
            insert.Parameters.AddWithValue(report.Latitude!.Value);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        var saved = (await ReadAsync(connection, transaction, "WHERE r.id = $1", id, ct))[0];
        await SituationEventLog.AppendAsync(connection, transaction, new FieldReportSubmitted(saved) { At = now }, ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(user.Identity!.Name!, "report.submit", "field_report", id.ToString(),
            new Dictionary<string, object?> { ["category"] = DbEnum.Name(category) }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/reports/{id}", saved);
    }

    private static async Task<Results<Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> TriageAsync(
        long reportId, FieldReportTriage triage, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        FieldReportStatus? status = null;
        if (triage.Status is not null)
        {
            if (!DbEnum.TryParse<FieldReportStatus>(triage.Status, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["status"] = ["Status must be one of " + DbEnum.Names<FieldReportStatus>() + "."],
                });
            }

            status = parsed;
        }

        if (triage.InternalNote?.Length > MaxNoteLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["internalNote"] = [$"The note is longer than {MaxNoteLength} characters."],
            });
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var before = await ReadAsync(connection, transaction, "WHERE r.id = $1 FOR UPDATE OF r", reportId, ct);
        if (before.Count == 0)
        {
            return Problems.NotFound("No such report", $"There is no field report {reportId}.");
        }

        var now = time.GetUtcNow();
        await using (var update = new NpgsqlCommand(
            """
            UPDATE field_reports SET status = coalesce($2, status), verified = coalesce($3, verified),
                internal_note = CASE WHEN $4::text IS NULL THEN internal_note ELSE nullif(btrim($4), '') END, updated_at = $5
            WHERE id = $1
            """, connection, transaction))
        {
            update.Parameters.AddWithValue(reportId);
            update.Parameters.AddWithValue(status is { } s ? DbEnum.Name(s) : DBNull.Value);
            update.Parameters.AddWithValue((object?)triage.Verified ?? DBNull.Value);
            update.Parameters.AddWithValue((object?)triage.InternalNote ?? DBNull.Value);
            update.Parameters.AddWithValue(now);
            await update.ExecuteNonQueryAsync(ct);
        }

        var after = (await ReadAsync(connection, transaction, "WHERE r.id = $1", reportId, ct))[0];
        await SituationEventLog.AppendAsync(connection, transaction,
            new FieldReportUpdated(after, before[0].Verified, user.Identity!.Name) { At = now }, ct);
        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(user.Identity!.Name!, "report.triage", "field_report", reportId.ToString(),
            new Dictionary<string, object?> { ["status"] = DbEnum.Name(after.Status), ["verified"] = after.Verified }), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    /// <summary>Reports HQ still works on, and those closed in the last day, newest first.</summary>
    public static Task<IReadOnlyList<FieldReport>> ReadCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        bool verifiedOnly, CancellationToken ct) =>
        ReadAsync(connection, transaction,
            $"""
             WHERE (r.status <> 'resolved' OR r.updated_at > now() - interval '24 hours') {(verifiedOnly ? "AND r.verified" : "")}
             ORDER BY r.reported_at DESC LIMIT 1000
             """, null, ct);

    private static async Task<IReadOnlyList<FieldReport>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string where, long? id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(SelectReport + "\n" + where, connection, transaction);
        if (id is not null) command.Parameters.AddWithValue(id.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var reports = new List<FieldReport>();
        while (await reader.ReadAsync(ct))
        {
            reports.Add(new FieldReport(reader.GetInt64(0), DbEnum.Parse<FieldReportCategory>(reader.GetString(1)),
                DbEnum.Parse<FieldReportStatus>(reader.GetString(2)), reader.GetBoolean(3), reader.GetDouble(4), reader.GetDouble(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return reports;
    }
}
