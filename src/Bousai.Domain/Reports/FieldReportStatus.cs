namespace Bousai.Domain.Reports;

/// <summary>Where HQ is with a report: 新規, 確認済み, 対応中, 解決, 却下, 重複.</summary>
public enum FieldReportStatus
{
    New,
    Verified,
    InProgress,
    Resolved,
    Rejected,
    /// <summary>Merged into another report, which carries on; a duplicate never moves again.</summary>
    Duplicate,
}

/// <summary>The moves HQ may make between statuses, and what residents may see.</summary>
public static class FieldReportWorkflow
{
    private static readonly IReadOnlyDictionary<FieldReportStatus, FieldReportStatus[]> Moves = new Dictionary<FieldReportStatus, FieldReportStatus[]>
    {
        [FieldReportStatus.New] = [FieldReportStatus.Verified, FieldReportStatus.Rejected, FieldReportStatus.Duplicate],
        [FieldReportStatus.Verified] = [FieldReportStatus.InProgress, FieldReportStatus.Resolved, FieldReportStatus.Rejected, FieldReportStatus.Duplicate,
            FieldReportStatus.New],
        [FieldReportStatus.InProgress] = [FieldReportStatus.Resolved, FieldReportStatus.Verified],
        // Reopening: the road closed again, or a rejection was a mistake.
        [FieldReportStatus.Resolved] = [FieldReportStatus.InProgress],
        [FieldReportStatus.Rejected] = [FieldReportStatus.New],
        [FieldReportStatus.Duplicate] = [],
    };

    /// <summary>Whether HQ may move a report from <paramref name="from"/> to <paramref name="to"/>; staying put is not a move.</summary>
    public static bool CanMove(FieldReportStatus from, FieldReportStatus to) => Moves[from].Contains(to);

    /// <summary>Closed reports need no more work: they leave the staff picture a day after closing.</summary>
    public static bool IsClosed(FieldReportStatus status) =>
        status is FieldReportStatus.Resolved or FieldReportStatus.Rejected or FieldReportStatus.Duplicate;

    /// <summary>The categories residents may see: roads they cannot use and flooded places.</summary>
    public static bool IsPublicCategory(FieldReportCategory category) =>
        category is FieldReportCategory.RoadBlocked or FieldReportCategory.Flooding;

    /// <summary>
    /// Residents see a report once HQ has verified it and while it is being dealt with, in a public category only.
    /// Resolved means the road is open again, so it leaves the public view.
    /// </summary>
    public static bool IsPublic(FieldReportStatus status, FieldReportCategory category) =>
        status is FieldReportStatus.Verified or FieldReportStatus.InProgress && IsPublicCategory(category);
}
