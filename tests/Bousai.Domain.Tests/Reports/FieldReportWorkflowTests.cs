using Bousai.Domain.Reports;
using static Bousai.Domain.Reports.FieldReportCategory;
using static Bousai.Domain.Reports.FieldReportStatus;

namespace Bousai.Domain.Tests.Reports;

public sealed class FieldReportWorkflowTests
{
    /// <summary>Every pair of statuses: the moves the table allows, and (by being absent) the ones it refuses.</summary>
    private static readonly (FieldReportStatus From, FieldReportStatus To)[] Allowed =
    [
        (New, Verified), (New, Rejected), (New, Duplicate),
        (Verified, InProgress), (Verified, Resolved), (Verified, Rejected), (Verified, Duplicate), (Verified, New),
        (InProgress, Resolved), (InProgress, Verified),
        (Resolved, InProgress),
        (Rejected, New),
    ];

    public static TheoryData<FieldReportStatus, FieldReportStatus, bool> EveryPair()
    {
        var data = new TheoryData<FieldReportStatus, FieldReportStatus, bool>();
        foreach (var from in Enum.GetValues<FieldReportStatus>())
        {
            foreach (var to in Enum.GetValues<FieldReportStatus>()) data.Add(from, to, Allowed.Contains((from, to)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void HQ_moves_a_report_only_along_the_workflow(FieldReportStatus from, FieldReportStatus to, bool allowed) =>
        Assert.Equal(allowed, FieldReportWorkflow.CanMove(from, to));

    [Theory]
    [InlineData(New)]
    [InlineData(Verified)]
    [InlineData(InProgress)]
    [InlineData(Resolved)]
    [InlineData(Rejected)]
    [InlineData(Duplicate)]
    public void Staying_in_the_same_status_is_not_a_move(FieldReportStatus status) => Assert.False(FieldReportWorkflow.CanMove(status, status));

    [Fact]
    public void A_duplicate_never_moves_again() =>
        Assert.All(Enum.GetValues<FieldReportStatus>(), to => Assert.False(FieldReportWorkflow.CanMove(Duplicate, to)));

    [Theory]
    [InlineData(New, RoadBlocked, false)]
    [InlineData(Verified, RoadBlocked, true)]
    [InlineData(InProgress, RoadBlocked, true)]
    [InlineData(Verified, Flooding, true)]
    [InlineData(InProgress, Flooding, true)]
    // The road is open again: residents no longer need to see it.
    [InlineData(Resolved, RoadBlocked, false)]
    [InlineData(Rejected, Flooding, false)]
    [InlineData(Duplicate, Flooding, false)]
    [InlineData(New, Flooding, false)]
    // Verified, but not a category residents see (an injured person's whereabouts, a damaged house).
    [InlineData(Verified, RescueNeeded, false)]
    [InlineData(InProgress, BuildingDamage, false)]
    [InlineData(Verified, Landslide, false)]
    [InlineData(Verified, RiverAnomaly, false)]
    [InlineData(Verified, Other, false)]
    public void Residents_see_only_verified_or_in_progress_reports_of_public_categories(FieldReportStatus status, FieldReportCategory category,
        bool isPublic) =>
        Assert.Equal(isPublic, FieldReportWorkflow.IsPublic(status, category));

    [Theory]
    [InlineData(New, false)]
    [InlineData(Verified, false)]
    [InlineData(InProgress, false)]
    [InlineData(Resolved, true)]
    [InlineData(Rejected, true)]
    [InlineData(Duplicate, true)]
    public void Resolved_rejected_and_duplicate_reports_are_closed(FieldReportStatus status, bool closed) =>
        Assert.Equal(closed, FieldReportWorkflow.IsClosed(status));

    [Fact]
    public void Severities_order_from_minor_to_critical() =>
        Assert.Equal([FieldReportSeverity.Minor, FieldReportSeverity.Serious, FieldReportSeverity.Critical],
            Enum.GetValues<FieldReportSeverity>().Order());
}
