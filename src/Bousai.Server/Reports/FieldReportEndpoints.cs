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

    public static IEndpointRouteBuilder MapFieldReportApi(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/reports").WithTags("Field reports");
        reports.MapPost("/", SubmitAsync).RequireAuthorization(AccountEndpoints.StaffPolicy).WithSummary("Post a geotagged report from the field");
        reports.MapPatch("/{reportId:long}", TriageAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Verify a report, set its status, or add an internal note (HQ)").ProducesProblem(StatusCodes.Status404NotFound);
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

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (!await FieldReportStore.IsNearTownAsync(change, report.Longitude!.Value, report.Latitude!.Value, MaxDistanceOutsideTownMetres, ct))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["location"] = [$"The location is more than {MaxDistanceOutsideTownMetres / 1000:0} km outside the town."],
            });
        }

        var now = time.GetUtcNow();
        var saved = await FieldReportStore.InsertAsync(change, category, report.Description!.Trim(), report.Longitude!.Value, report.Latitude!.Value,
            user, now, ct);
        change.Record(new FieldReportSubmitted(saved) { At = now });
        change.Audit(new AuditEntry(user.Identity!.Name!, "report.submit", "field_report", saved.ReportId.ToString(),
            new Dictionary<string, object?> { ["category"] = DbEnum.Name(category) }));
        await change.CommitAsync(ct);
        return TypedResults.Created($"/api/reports/{saved.ReportId}", saved);
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

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await FieldReportStore.LockAsync(change, reportId, ct) is not { } before)
        {
            return Problems.NotFound("No such report", $"There is no field report {reportId}.");
        }

        var now = time.GetUtcNow();
        var after = await FieldReportStore.TriageAsync(change, reportId, status, triage.Verified, triage.InternalNote, now, ct);
        change.Record(new FieldReportUpdated(after, before.Verified, user.Identity!.Name) { At = now });
        change.Audit(new AuditEntry(user.Identity!.Name!, "report.triage", "field_report", reportId.ToString(),
            new Dictionary<string, object?> { ["status"] = DbEnum.Name(after.Status), ["verified"] = after.Verified }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(after);
    }
}
