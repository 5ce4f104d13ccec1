using System.Text.Json;
using Bousai.Domain.Reports;

namespace Bousai.Server.Reports;

/// <summary>
/// A field report as staff see it (the REST API, the staff hub and snapshot). Residents get <see cref="ForPublic"/>:
/// only while it is public (<see cref="FieldReportWorkflow.IsPublic"/>), without who sent it, their words, HQ's notes or
/// any photo HQ has not made public. DrillId: the drill (訓練) it was sent during, null for a real report. Photo URLs are /api/reports/{reportId}/photos/{position} (and /thumbnail).
/// </summary>
public sealed record FieldReport(
    long ReportId,
    Guid? ClientId,
    FieldReportCategory Category,
    FieldReportSeverity Severity,
    FieldReportStatus Status,
    DateTimeOffset ObservedAt,
    DateTimeOffset? ReportedAt,
    DateTimeOffset UpdatedAt,
    double Longitude,
    double Latitude,
    double? AccuracyMetres,
    string? DistrictId,
    string? Description,
    string? ReportedBy,
    string? ReportedByName,
    string? AssignedTo,
    string? AssignedToName,
    long? DuplicateOf,
    string? RejectionReason,
    string? PublicSummary,
    string? InternalNote,
    IReadOnlyList<FieldReportPhoto> Photos,
    long? DrillId = null)
{
    public bool IsVisibleToPublic() => FieldReportWorkflow.IsPublic(Status, Category);

    public FieldReport ForPublic() => this with
    {
        ClientId = null,
        ReportedAt = null,
        AccuracyMetres = null,
        Description = null,
        ReportedBy = null,
        ReportedByName = null,
        AssignedTo = null,
        AssignedToName = null,
        DuplicateOf = null,
        RejectionReason = null,
        InternalNote = null,
        Photos = [.. Photos.Where(p => p.Public)],
    };
}

/// <summary>One of a report's photos, as stored: re-encoded JPEG without metadata, its size in pixels.</summary>
public sealed record FieldReportPhoto(int Position, bool Public, int Width, int Height);

/// <summary>
/// The "report" part of a submission (multipart/form-data, beside up to 4 "photos" parts). ClientId is the outbox's
/// UUID: sending it again is a retry. ObservedAt is ISO 8601 with its offset.
/// </summary>
public sealed record NewFieldReport(
    string? ClientId,
    string? Category,
    string? Severity,
    string? Description,
    string? ObservedAt,
    double? Longitude,
    double? Latitude,
    double? AccuracyMetres);

/// <summary>HQ moves a report in the workflow; a rejection needs its reason. Marking a duplicate has its own endpoint.</summary>
public sealed record FieldReportStatusMove(string? Status, string? Comment, string? Reason);

/// <summary>HQ marks a report as a duplicate of another, which takes its photos.</summary>
public sealed record FieldReportDuplicateMark(long? DuplicateOf, string? Comment);

/// <summary>HQ gives a report to a field crew account (its user name), or takes it back (null).</summary>
public sealed record FieldReportAssignment(string? Assignee, string? Comment);

/// <summary>HQ's own words on a report; a field left out stays, an empty string clears it.</summary>
public sealed record FieldReportNotes(string? InternalNote, string? PublicSummary);

/// <summary>Whether residents may see a photo (once its report is public).</summary>
public sealed record FieldReportPhotoVisibility(bool? Public);

/// <summary>One change of a report, from the audit trail: who, when, what it was before and after, and why.</summary>
public sealed record FieldReportHistoryEntry(
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Comment,
    IReadOnlyDictionary<string, JsonElement> Before,
    IReadOnlyDictionary<string, JsonElement> After);

/// <summary>A field crew account HQ can assign reports to.</summary>
public sealed record FieldCrew(string UserName, string DisplayName);

/// <summary>What changed in a <see cref="Live.FieldReportUpdated"/>.</summary>
public enum FieldReportChange
{
    Status,
    Duplicate,
    Assignment,
    Notes,
    Photo,
}
