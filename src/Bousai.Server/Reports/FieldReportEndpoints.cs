using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bousai.Domain.Accounts;
using Bousai.Domain.Reports;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Bousai.Server.Reports;

public static partial class FieldReportEndpoints
{
    private const int MaxDescriptionLength = 2_000;
    private const int MaxNoteLength = 1_000;
    /// <summary>Reports may come from just outside the town line (a road blocked at the boundary), not from elsewhere.</summary>
    private const double MaxDistanceOutsideTownMetres = 5_000;
    /// <summary>A phone's clock may run a little ahead of the server's.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    /// <summary>An outbox may hold a report for a while (no signal in a valley), not for days.</summary>
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    /// <summary>4 photos of 10 MB and the report: the one endpoint allowed more than the server's 30 MB default.</summary>
    public const long MaxSubmissionBytes = ReportPhotos.MaxPhotos * ReportPhotos.MaxUploadBytes + 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapFieldReportApi(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/reports").WithTags("Field reports");
        // The form is bound without ASP.NET's antiforgery token: like every write here, it is guarded by the one
        // same-origin check (Web/SameOriginRequests), which refuses a cross-site multipart POST before it is read.
        reports.MapPost("/", SubmitAsync).RequireAuthorization(AccountEndpoints.ReportingPolicy).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxSubmissionBytes))
            .WithSummary("Send a geotagged report with up to 4 photos from the field (idempotent by clientId)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        reports.MapGet("/mine", MineAsync).RequireAuthorization(AccountEndpoints.ReportingPolicy).WithSummary("The caller's own reports, newest first");
        reports.MapGet("/{reportId:long}", ReadAsync).RequireAuthorization(AccountEndpoints.ReportingPolicy)
            .WithSummary("One report (HQ: any; field crews: their own)").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        reports.MapGet("/{reportId:long}/history", HistoryAsync).RequireAuthorization(AccountEndpoints.ReportingPolicy)
            .WithSummary("Every change of a report, oldest first (HQ; and the crew who sent it)").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        reports.MapPost("/{reportId:long}/status", MoveAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Move a report in the workflow, with a comment; a rejection needs its reason (HQ)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        reports.MapPost("/{reportId:long}/duplicate", MarkDuplicateAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Mark a report as a duplicate of another, which takes its photos (HQ)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        reports.MapPost("/{reportId:long}/assignment", AssignAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Assign a report to a field crew account, or take it back (HQ)").ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapPatch("/{reportId:long}", SetNotesAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Set HQ's internal note or the public summary (HQ)").ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapPut("/{reportId:long}/photos/{position:int}/public", SetPhotoPublicAsync).RequireAuthorization(AccountEndpoints.HqPolicy)
            .WithSummary("Let residents see a photo of a public report, or stop them (HQ)").ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapGet("/{reportId:long}/photos/{position:int}", (long reportId, int position, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
                PhotoAsync(reportId, position, thumbnail: false, http, db, ct))
            .AllowAnonymous().WithSummary("A report's photo, at most 1,600 px, without metadata (residents: public photos of public reports only)")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg").ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapGet("/{reportId:long}/photos/{position:int}/thumbnail", (long reportId, int position, HttpContext http, NpgsqlDataSource db,
                    CancellationToken ct) => PhotoAsync(reportId, position, thumbnail: true, http, db, ct))
            .AllowAnonymous().WithSummary("A photo's thumbnail, at most 320 px (residents: public photos of public reports only)")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg").ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("/api/field-crews", async (NpgsqlDataSource db, CancellationToken ct) => TypedResults.Ok(await FieldReportStore.ReadFieldCrewsAsync(db, ct)))
            .RequireAuthorization(AccountEndpoints.HqPolicy).WithTags("Field reports").WithSummary("Enabled field crew accounts, to assign reports to (HQ)");
        return routes;
    }

    private static long UserId(ClaimsPrincipal user) => long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);

    private static string UserName(ClaimsPrincipal user) => user.Identity!.Name!;

    private static ValidationProblem Invalid(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] });

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoWithOffset();

    private static async Task<Results<Created<FieldReport>, Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [FromForm] string? report, IFormFileCollection? photos, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(report)) return Invalid("report", "The form needs a part \"report\" with the report as JSON.");
        NewFieldReport? sent;
        try
        {
            sent = JsonSerializer.Deserialize<NewFieldReport>(report, BousaiJson.Options);
        }
        catch (JsonException e)
        {
            return Invalid(BadRequestProblems.FieldOf(e.Path), BadRequestProblems.ReasonOf(e));
        }

        if (sent is null) return Invalid("report", "The report is empty.");
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParseExact(sent.ClientId, "D", out var clientId))
        {
            errors["clientId"] = ["A UUID made by the sending device (the outbox's id for this report) is required."];
        }

        if (!DbEnum.TryParse<FieldReportCategory>(sent.Category, out var category))
        {
            errors["category"] = ["Category must be one of " + DbEnum.Names<FieldReportCategory>() + "."];
        }

        if (!DbEnum.TryParse<FieldReportSeverity>(sent.Severity, out var severity))
        {
            errors["severity"] = ["Severity must be one of " + DbEnum.Names<FieldReportSeverity>() + "."];
        }

        var description = string.IsNullOrWhiteSpace(sent.Description) ? null : sent.Description.Trim();
        if (description?.Length > MaxDescriptionLength)
        {
            errors["description"] = [$"The description is longer than {MaxDescriptionLength} characters."];
        }

        DateTimeOffset observedAt = default;
        if (sent.ObservedAt is null || !IsoWithOffset().IsMatch(sent.ObservedAt)
            || !DateTimeOffset.TryParse(sent.ObservedAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out observedAt))
        {
            errors["observedAt"] = ["When it was seen is required, as ISO 8601 with its offset (2026-07-08T14:10:00+09:00)."];
        }
        else if (observedAt > now + ClockSkew)
        {
            errors["observedAt"] = ["The observation time is in the future: check the phone's clock."];
        }

        if (sent.Longitude is not (>= -180 and <= 180) || sent.Latitude is not (>= -90 and <= 90))
        {
            errors["location"] = ["Longitude and latitude (WGS 84 degrees) are required."];
        }

        if (sent.AccuracyMetres is { } accuracy && !(accuracy >= 0 && double.IsFinite(accuracy)))
        {
            errors["accuracyMetres"] = ["The accuracy is a distance in metres: zero or more."];
        }

        var sentPhotos = photos?.GetFiles("photos") ?? [];
        if (sentPhotos.Count != (photos?.Count ?? 0))
        {
            errors["photos"] = ["Photos are sent as parts named \"photos\"; the form has files under other names."];
        }
        else if (sentPhotos.Count > ReportPhotos.MaxPhotos)
        {
            errors["photos"] = [$"At most {ReportPhotos.MaxPhotos} photos."];
        }
        else
        {
            for (var i = 0; i < sentPhotos.Count; i++)
            {
                if (sentPhotos[i].Length > ReportPhotos.MaxUploadBytes)
                {
                    errors[$"photos[{i}]"] = [$"The photo is larger than {ReportPhotos.MaxUploadBytes / (1024 * 1024)} MB."];
                }
            }
        }

        // A report stored long ago and retried (its answer was lost) is answered as the retry it is, not refused for its age.
        var tooOld = !errors.ContainsKey("observedAt") && observedAt < now - MaxAge;
        var tooOldReason = $"The observation is older than {MaxAge.TotalHours:0} hours.";
        if (errors.Count > 0)
        {
            if (tooOld) errors["observedAt"] = [tooOldReason];
            return TypedResults.ValidationProblem(errors);
        }

        var uploads = new List<byte[]>(sentPhotos.Count);
        foreach (var file in sentPhotos)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            uploads.Add(buffer.ToArray());
        }

        var submission = new FieldReportSubmission(clientId, category, severity, description, observedAt, sent.Longitude!.Value, sent.Latitude!.Value,
            sent.AccuracyMetres, ContentDigest(clientId, category, severity, description, observedAt, sent, uploads));
        var reporter = UserId(user);

        // A retry of a report already stored answers at once, without decoding its photos again.
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await FieldReportStore.FindByClientIdAsync(connection, null, clientId, ct) is { } existing)
            {
                return await RetryAnswerAsync(connection, null, existing, submission, reporter, ct);
            }
        }

        if (tooOld) return Invalid("observedAt", tooOldReason);

        if (!await FieldReportStore.IsNearTownAsync(db, submission.Longitude, submission.Latitude, MaxDistanceOutsideTownMetres, ct))
        {
            return Invalid("location", $"The location is more than {MaxDistanceOutsideTownMetres / 1000:0} km outside the town.");
        }

        var stored = new List<StoredPhoto>(uploads.Count);
        for (var i = 0; i < uploads.Count; i++)
        {
            var (photo, refusal) = ReportPhotos.Process(uploads[i]);
            if (refusal is not null) return Invalid($"photos[{i}]", refusal);
            stored.Add(photo!);
        }

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await FieldReportStore.TryInsertAsync(change, submission, stored, reporter, now, ct) is not { } reportId)
        {
            // Another attempt with this client id committed while this one was on its way.
            var existing = await FieldReportStore.FindByClientIdAsync(change.Connection, change.Transaction, clientId, ct);
            return await RetryAnswerAsync(change.Connection, change.Transaction, existing!, submission, reporter, ct);
        }

        var saved = (await FieldReportStore.ReadAsync(change.Connection, change.Transaction, reportId, ct))!;
        change.Record(new FieldReportSubmitted(saved) { At = now });
        change.Audit(new AuditEntry(UserName(user), "report.submit", "field_report", reportId.ToString(), new Dictionary<string, object?>
        {
            ["before"] = new Dictionary<string, object?>(),
            ["after"] = new Dictionary<string, object?>
            {
                ["status"] = DbEnum.Name(saved.Status), ["category"] = DbEnum.Name(category), ["severity"] = DbEnum.Name(severity),
                ["districtId"] = saved.DistrictId, ["photos"] = stored.Count,
            },
        }));
        await change.CommitAsync(ct);
        return TypedResults.Created($"/api/reports/{reportId}", saved);
    }

    /// <summary>The same client id again: the stored report when it is the same content from the same account, otherwise a 409.</summary>
    private static async Task<Results<Created<FieldReport>, Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> RetryAnswerAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, ExistingSubmission existing, FieldReportSubmission submission, long reporter,
        CancellationToken ct)
    {
        if (existing.ReportedById != reporter || existing.ContentDigest is null || !existing.ContentDigest.AsSpan().SequenceEqual(submission.ContentDigest))
        {
            return Problems.Conflict("Client id already used",
                $"Report {existing.ReportId} was sent with this clientId and other content. A new report needs a new clientId; the stored one is not changed.");
        }

        return TypedResults.Ok((await FieldReportStore.ReadAsync(connection, transaction, existing.ReportId, ct))!);
    }

    /// <summary>SHA-256 of what was sent, in a fixed form, photos' bytes included: equal exactly when a retry carries the same report.</summary>
    private static byte[] ContentDigest(Guid clientId, FieldReportCategory category, FieldReportSeverity severity, string? description,
        DateTimeOffset observedAt, NewFieldReport sent, IReadOnlyList<byte[]> uploads)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            clientId.ToString("D"), DbEnum.Name(category), DbEnum.Name(severity), description, observedAt.UtcTicks, sent.Longitude, sent.Latitude,
            sent.AccuracyMetres, uploads.Count,
        });
        hash.AppendData(Encoding.UTF8.GetBytes(canonical));
        foreach (var upload in uploads) hash.AppendData(SHA256.HashData(upload));
        return hash.GetHashAndReset();
    }

    private static async Task<Ok<IReadOnlyList<FieldReport>>> MineAsync(ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct) =>
        TypedResults.Ok(await FieldReportStore.ReadMineAsync(db, UserId(user), ct));

    /// <summary>HQ may see every report; a field crew only the ones it sent.</summary>
    private static bool MaySee(ClaimsPrincipal user, long reportedById) => user.IsInRole(Roles.Hq) || UserId(user) == reportedById;

    private static async Task<Results<Ok<FieldReport>, ProblemHttpResult>> ReadAsync(long reportId, ClaimsPrincipal user, NpgsqlDataSource db,
        CancellationToken ct)
    {
        if (await FieldReportStore.ReadAsync(db, reportId, ct) is not { } report) return NoSuchReport(reportId);
        if (!user.IsInRole(Roles.Hq) && report.ReportedBy != UserName(user)) return Problems.Forbidden("Field crews see the reports they sent.");
        return TypedResults.Ok(report);
    }

    /// <summary>The report's history, up to <paramref name="until"/> when HQ looks at a moment in the past.</summary>
    private static async Task<Results<Ok<IReadOnlyList<FieldReportHistoryEntry>>, ProblemHttpResult>> HistoryAsync(long reportId, DateTimeOffset? until,
        ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct)
    {
        if (await FieldReportStore.ReporterAsync(db, reportId, ct) is not { } reporter) return NoSuchReport(reportId);
        if (!MaySee(user, reporter)) return Problems.Forbidden("Field crews see the history of the reports they sent.");
        return TypedResults.Ok(await FieldReportStore.ReadHistoryAsync(db, reportId, until, ct));
    }

    private static ProblemHttpResult NoSuchReport(long reportId) => Problems.NotFound("No such report", $"There is no field report {reportId}.");

    private static string? TooLong(string? text, int max) => text?.Length > max ? $"Up to {max} characters." : null;

    private static async Task<Results<Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> MoveAsync(long reportId, FieldReportStatusMove move,
        ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (!DbEnum.TryParse<FieldReportStatus>(move.Status, out var status) || status == FieldReportStatus.Duplicate)
        {
            return Invalid("status", "Status must be one of " + string.Join(", ",
                Enum.GetValues<FieldReportStatus>().Where(s => s != FieldReportStatus.Duplicate).Select(DbEnum.Name)) +
                " (a duplicate is marked with POST /api/reports/{id}/duplicate).");
        }

        if (TooLong(move.Comment, MaxNoteLength) is { } longComment) return Invalid("comment", longComment);
        if (TooLong(move.Reason, MaxNoteLength) is { } longReason) return Invalid("reason", longReason);
        var reason = string.IsNullOrWhiteSpace(move.Reason) ? null : move.Reason.Trim();
        if (status == FieldReportStatus.Rejected && reason is null) return Invalid("reason", "Say why the report is rejected; the crew who sent it sees it.");

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await FieldReportStore.LockAsync(change, reportId, ct) is not { } before) return NoSuchReport(reportId);
        if (!FieldReportWorkflow.CanMove(before.Status, status))
        {
            return Problems.Conflict("Not a move the workflow allows",
                $"Report {reportId} is {DbEnum.Name(before.Status)}; it cannot be moved to {DbEnum.Name(status)}.");
        }

        var now = time.GetUtcNow();
        var rejectionReason = status == FieldReportStatus.Rejected ? reason : null;
        await FieldReportStore.MoveAsync(change, reportId, status, rejectionReason, now, ct);
        var after = (await FieldReportStore.ReadAsync(change.Connection, change.Transaction, reportId, ct))!;
        var comment = Comment(move.Comment);
        change.Record(new FieldReportUpdated(after, before.IsVisibleToPublic(), UserName(user), FieldReportChange.Status, comment) { At = now });
        change.Audit(History(user, "report.status", reportId, comment,
            new() { ["status"] = DbEnum.Name(before.Status), ["rejectionReason"] = before.RejectionReason },
            new() { ["status"] = DbEnum.Name(status), ["rejectionReason"] = rejectionReason }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    private static async Task<Results<Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> MarkDuplicateAsync(long reportId,
        FieldReportDuplicateMark mark, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (mark.DuplicateOf is not { } targetId) return Invalid("duplicateOf", "The number of the report this one duplicates is required.");
        if (targetId == reportId) return Invalid("duplicateOf", "A report cannot be a duplicate of itself.");
        if (TooLong(mark.Comment, MaxNoteLength) is { } longComment) return Invalid("comment", longComment);

        await using var change = await SituationChange.BeginAsync(db, ct);
        // Both rows locked in id order, so two merges of the same pair in opposite directions cannot deadlock.
        var first = await FieldReportStore.LockAsync(change, Math.Min(reportId, targetId), ct);
        var second = await FieldReportStore.LockAsync(change, Math.Max(reportId, targetId), ct);
        var (before, target) = reportId < targetId ? (first, second) : (second, first);
        if (before is null) return NoSuchReport(reportId);
        if (target is null) return Invalid("duplicateOf", $"There is no field report {targetId}.");
        if (target.Status == FieldReportStatus.Duplicate)
        {
            return Problems.Conflict("The target is a duplicate itself", $"Report {targetId} is a duplicate of {target.DuplicateOf}: merge into that one.");
        }

        if (!FieldReportWorkflow.CanMove(before.Status, FieldReportStatus.Duplicate))
        {
            return Problems.Conflict("Not a move the workflow allows", $"Report {reportId} is {DbEnum.Name(before.Status)}; it cannot become a duplicate.");
        }

        var now = time.GetUtcNow();
        var moved = await FieldReportStore.MergeAsync(change, reportId, targetId, now, ct);
        var after = (await FieldReportStore.ReadAsync(change.Connection, change.Transaction, reportId, ct))!;
        var targetAfter = (await FieldReportStore.ReadAsync(change.Connection, change.Transaction, targetId, ct))!;
        var comment = Comment(mark.Comment);
        change.Record(new FieldReportUpdated(after, before.IsVisibleToPublic(), UserName(user), FieldReportChange.Duplicate, comment, targetAfter)
        {
            At = now,
        });
        var entry = History(user, "report.duplicate", reportId, comment,
            new() { ["status"] = DbEnum.Name(before.Status), ["duplicateOf"] = null },
            new() { ["status"] = DbEnum.Name(FieldReportStatus.Duplicate), ["duplicateOf"] = targetId });
        change.Audit(entry with
        {
            Details = new Dictionary<string, object?>(entry.Details!)
            {
                // The target's history shows the merge from this record (FieldReportStore.ReadHistoryAsync).
                ["target"] = new Dictionary<string, object?>
                {
                    ["reportId"] = targetId,
                    ["before"] = new Dictionary<string, object?> { ["photos"] = target.Photos.Count },
                    ["after"] = new Dictionary<string, object?> { ["photos"] = targetAfter.Photos.Count, ["mergedFrom"] = reportId, ["movedPhotos"] = moved },
                },
            },
        });
        await change.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    private static async Task<Results<Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> AssignAsync(long reportId, FieldReportAssignment assignment,
        ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (TooLong(assignment.Comment, MaxNoteLength) is { } longComment) return Invalid("comment", longComment);
        var assignee = string.IsNullOrWhiteSpace(assignment.Assignee) ? null : assignment.Assignee.Trim();

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await FieldReportStore.LockAsync(change, reportId, ct) is not { } before) return NoSuchReport(reportId);
        long? assigneeId = null;
        if (assignee is not null && (assigneeId = await FieldReportStore.FindFieldCrewAsync(change, assignee, ct)) is null)
        {
            return Invalid("assignee", $"There is no enabled field crew account \"{assignee}\".");
        }

        var now = time.GetUtcNow();
        await FieldReportStore.AssignAsync(change, reportId, assigneeId, now, ct);
        var after = (await FieldReportStore.ReadAsync(change.Connection, change.Transaction, reportId, ct))!;
        var comment = Comment(assignment.Comment);
        change.Record(new FieldReportUpdated(after, before.IsVisibleToPublic(), UserName(user), FieldReportChange.Assignment, comment) { At = now });
        change.Audit(History(user, "report.assignment", reportId, comment,
            new() { ["assignedTo"] = before.AssignedTo }, new() { ["assignedTo"] = after.AssignedTo }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    private static async Task<Results<Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> SetNotesAsync(long reportId, FieldReportNotes notes,
        ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (notes.InternalNote is null && notes.PublicSummary is null) return Invalid("body", "Send internalNote, publicSummary or both.");
        if (TooLong(notes.InternalNote, MaxNoteLength) is { } longNote) return Invalid("internalNote", longNote);
        if (TooLong(notes.PublicSummary, MaxNoteLength) is { } longSummary) return Invalid("publicSummary", longSummary);

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await FieldReportStore.LockAsync(change, reportId, ct) is not { } before) return NoSuchReport(reportId);
        var now = time.GetUtcNow();
        await FieldReportStore.SetNotesAsync(change, reportId, notes.InternalNote, notes.PublicSummary, now, ct);
        var after = (await FieldReportStore.ReadAsync(change.Connection, change.Transaction, reportId, ct))!;
        change.Record(new FieldReportUpdated(after, before.IsVisibleToPublic(), UserName(user), FieldReportChange.Notes) { At = now });
        Dictionary<string, object?> beforeNotes = [], afterNotes = [];
        if (notes.InternalNote is not null)
        {
            beforeNotes["internalNote"] = before.InternalNote;
            afterNotes["internalNote"] = after.InternalNote;
        }

        if (notes.PublicSummary is not null)
        {
            beforeNotes["publicSummary"] = before.PublicSummary;
            afterNotes["publicSummary"] = after.PublicSummary;
        }

        change.Audit(History(user, "report.notes", reportId, null, beforeNotes, afterNotes));
        await change.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    private static async Task<Results<Ok<FieldReport>, ValidationProblem, ProblemHttpResult>> SetPhotoPublicAsync(long reportId, int position,
        FieldReportPhotoVisibility visibility, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        if (visibility.Public is not { } isPublic) return Invalid("public", "Say true (residents may see it) or false.");

        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await FieldReportStore.LockAsync(change, reportId, ct) is not { } before) return NoSuchReport(reportId);
        if (before.Photos.SingleOrDefault(p => p.Position == position) is not { } photo)
        {
            return Problems.NotFound("No such photo", $"Report {reportId} has no photo {position}.");
        }

        var now = time.GetUtcNow();
        await FieldReportStore.SetPhotoPublicAsync(change, reportId, position, isPublic, now, ct);
        var after = (await FieldReportStore.ReadAsync(change.Connection, change.Transaction, reportId, ct))!;
        change.Record(new FieldReportUpdated(after, before.IsVisibleToPublic(), UserName(user), FieldReportChange.Photo) { At = now });
        change.Audit(History(user, "report.photo", reportId, null,
            new() { ["photo"] = position, ["public"] = photo.Public }, new() { ["photo"] = position, ["public"] = isPublic }));
        await change.CommitAsync(ct);
        return TypedResults.Ok(after);
    }

    /// <summary>
    /// Staff who may see the report (HQ, the crew who sent it) get any photo; everyone else, signed in or not, only a
    /// public photo of a public report, and a 404 otherwise, so a resident cannot tell a hidden photo from none.
    /// </summary>
    private static async Task<IResult> PhotoAsync(long reportId, int position, bool thumbnail, HttpContext http, NpgsqlDataSource db,
        CancellationToken ct)
    {
        var photo = await FieldReportStore.ReadPhotoAsync(db, reportId, position, thumbnail, ct);
        var staff = photo is not null && http.User.Identity?.IsAuthenticated == true && MaySee(http.User, photo.ReportedById);
        if (photo is null || !(staff || (photo.Public && photo.ReportIsPublic)))
        {
            return Problems.NotFound("No such photo", $"There is no photo {position} of report {reportId} to show.");
        }

        var etag = thumbnail ? $"\"{photo.Hash}.thumbnail\"" : $"\"{photo.Hash}\"";
        // The bytes at a position never change; whether residents may see them can, so a shared cache keeps them briefly.
        var cacheControl = staff ? "private, max-age=86400" : "public, max-age=60";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = cacheControl;
        if (ConditionalGet.IsNotModified(http, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(photo.Image, "image/jpeg");
    }

    private static string? Comment(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();

    private static AuditEntry History(ClaimsPrincipal user, string action, long reportId, string? comment, Dictionary<string, object?> before,
        Dictionary<string, object?> after) =>
        new(UserName(user), action, "field_report", reportId.ToString(), new Dictionary<string, object?>
        {
            ["before"] = before,
            ["after"] = after,
            ["comment"] = comment,
        });
}
