using Bousai.Domain.Reports;
using Bousai.Server.Live;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Live;

public sealed class SituationBatchesTests
{
    private static readonly DateTimeOffset T = new(2026, 8, 3, 19, 10, 0, TimeSpan.FromHours(9));

    private static StationStateChanged Reading(long seq, string station, double value) =>
        new(new StationState(station, "water_level", value, T.AddMinutes(seq), T.AddMinutes(seq), null)) { Seq = seq, At = T };

    private static FieldReport Report(long id, FieldReportStatus status, FieldReportCategory category = FieldReportCategory.Flooding) =>
        new(id, Guid.NewGuid(), category, FieldReportSeverity.Serious, status, T, T, T, 140.19, 38.0, 12, "district-takahata", "床下浸水 佐藤様方",
            "field", "現地班 佐藤", "field2", "現地班 鈴木", null, null, "国道113号 冠水", "消防に連絡済",
            [new FieldReportPhoto(1, true, 1600, 1200), new FieldReportPhoto(2, false, 1600, 1200)]);

    private static FieldReportSubmitted Submitted(long seq, FieldReportStatus status) => new(Report(seq, status)) { Seq = seq, At = T };

    private static FieldReportUpdated Updated(long seq, FieldReport report, bool wasPublic) =>
        new(report, wasPublic, "hq", FieldReportChange.Status, "現地確認済") { Seq = seq, At = T };

    [Fact]
    public void Readings_of_one_gauge_coalesce_to_the_latest_in_its_place()
    {
        SituationEvent[] batch = [Reading(1, "a", 1.0), Reading(2, "b", 5.0), SituationWriter.ShelterEvent(3) with { Seq = 3 }, Reading(4, "a", 1.2), Reading(5, "a", 1.4)];

        var sent = SituationBatches.ForAudience(batch, Audience.Staff);

        Assert.Equal([2L, 3L, 5L], sent.Select(e => e.Seq));
        Assert.Equal(1.4, Assert.IsType<StationStateChanged>(sent[^1]).State.Value);
    }

    [Fact]
    public void Public_sees_verified_reports_without_who_sent_them_their_words_or_hidden_photos_and_no_unverified_ones()
    {
        var sent = SituationBatches.ForAudience([Submitted(1, FieldReportStatus.New), Updated(2, Report(2, FieldReportStatus.Verified), false)],
            Audience.Public);

        var update = Assert.IsType<FieldReportUpdated>(Assert.Single(sent));
        var report = update.Report;
        Assert.Equal(2, report.ReportId);
        Assert.Null(report.ClientId);
        Assert.Null(report.Description);
        Assert.Null(report.ReportedBy);
        Assert.Null(report.ReportedByName);
        Assert.Null(report.AssignedTo);
        Assert.Null(report.AssignedToName);
        Assert.Null(report.InternalNote);
        Assert.Null(report.AccuracyMetres);
        Assert.Equal("国道113号 冠水", report.PublicSummary);
        Assert.Equal([1], report.Photos.Select(p => p.Position));
        Assert.Null(update.UpdatedBy);
        Assert.Null(update.Comment);
    }

    [Theory]
    [InlineData(FieldReportStatus.Resolved)]
    [InlineData(FieldReportStatus.Rejected)]
    [InlineData(FieldReportStatus.New)]
    public void A_public_report_leaving_the_public_set_is_withdrawn_for_residents(FieldReportStatus status)
    {
        var sent = SituationBatches.ForAudience([Updated(5, Report(5, status), wasPublic: true)], Audience.Public);

        Assert.Equal(5, Assert.IsType<FieldReportWithdrawn>(Assert.Single(sent)).ReportId);
    }

    [Fact]
    public void Residents_never_see_a_verified_report_of_a_category_that_is_not_public()
    {
        var sent = SituationBatches.ForAudience([Updated(3, Report(3, FieldReportStatus.Verified, FieldReportCategory.RescueNeeded), false)],
            Audience.Public);

        Assert.Empty(sent);
    }

    [Fact]
    public void Staff_see_every_event_unchanged()
    {
        SituationEvent[] batch = [Submitted(1, FieldReportStatus.New), Updated(2, Report(2, FieldReportStatus.Verified), false)];

        Assert.Equal(batch, SituationBatches.ForAudience(batch, Audience.Staff));
    }
}
