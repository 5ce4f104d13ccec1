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

    private static FieldReportSubmitted Report(long seq, bool verified) =>
        new(new FieldReport(seq, FieldReportCategory.Flooding, FieldReportStatus.New, verified, 140.19, 38.0, T, "床下浸水 佐藤様方", "field", "note")) { Seq = seq, At = T };

    [Fact]
    public void Readings_of_one_gauge_coalesce_to_the_latest_in_its_place()
    {
        SituationEvent[] batch = [Reading(1, "a", 1.0), Reading(2, "b", 5.0), SituationWriter.ShelterEvent(3) with { Seq = 3 }, Reading(4, "a", 1.2), Reading(5, "a", 1.4)];

        var sent = SituationBatches.ForAudience(batch, Audience.Staff);

        Assert.Equal([2L, 3L, 5L], sent.Select(e => e.Seq));
        Assert.Equal(1.4, Assert.IsType<StationStateChanged>(sent[^1]).State.Value);
    }

    [Fact]
    public void Public_sees_verified_reports_without_free_text_and_no_unverified_ones()
    {
        var sent = SituationBatches.ForAudience([Report(1, verified: false), Report(2, verified: true)], Audience.Public);

        var report = Assert.IsType<FieldReportSubmitted>(Assert.Single(sent)).Report;
        Assert.Equal(2, report.ReportId);
        Assert.Null(report.Description);
        Assert.Null(report.ReportedBy);
        Assert.Null(report.InternalNote);
    }

    [Fact]
    public void Staff_see_every_event_unchanged()
    {
        SituationEvent[] batch = [Report(1, verified: false), Report(2, verified: true)];

        Assert.Equal(batch, SituationBatches.ForAudience(batch, Audience.Staff));
    }
}
