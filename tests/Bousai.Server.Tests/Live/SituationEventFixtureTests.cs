using System.Text.Json.Nodes;
using Bousai.Domain.Reports;
using Bousai.Server.Live;
using Bousai.Server.Reports;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Live;

/// <summary>
/// The log keeps 14 days of events that every server must still read. Each event kind's stored payload, as written
/// today, is held in Fixtures/events/{kind}.json (or {kind}.{variant}.json): a renamed or removed field makes its
/// fixture read back differently, and a new kind without a fixture fails, so neither slips in unnoticed.
/// </summary>
public sealed class SituationEventFixtureTests
{
    private static readonly string Folder = Path.Combine(Repository.Root, "tests", "Bousai.Server.Tests", "Live", "Fixtures", "events");

    private static string KindOf(string file) => Path.GetFileName(file).Split('.')[0];

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void Every_event_kind_has_a_fixture_and_every_fixture_is_of_a_known_kind()
    {
        var fixtureKinds = Directory.GetFiles(Folder, "*.json").Select(KindOf).ToHashSet();

        var missing = SituationEventLog.AllKinds.Except(fixtureKinds).Order().ToList();
        var unknown = fixtureKinds.Except(SituationEventLog.AllKinds).Order().ToList();

        Assert.True(missing.Count == 0, $"No fixture in {Folder} for the event kind(s) {string.Join(", ", missing)}: add one with every field filled.");
        Assert.True(unknown.Count == 0, $"Fixtures for kinds the server no longer has: {string.Join(", ", unknown)}.");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_stored_payload_of_the_current_version_reads_back_to_the_same_JSON(string fixture)
    {
        var stored = File.ReadAllText(Path.Combine(Folder, fixture));

        var change = SituationEventLog.ReadPayload(stored, SituationEventLog.PayloadVersion);
        var written = SituationEventLog.Payload(change);

        Assert.Equal(KindOf(fixture), JsonNode.Parse(written)!["kind"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(written)),
            $"{fixture} reads back differently, so events already in the log would be misread:\nstored:  {JsonNode.Parse(stored)!.ToJsonString()}\nwritten: {written}");
    }

    [Fact]
    public void Field_report_payloads_of_version_1_read_as_todays_reports_with_verified_as_a_status()
    {
        var v1 = Path.Combine(Repository.Root, "tests", "Bousai.Server.Tests", "Live", "Fixtures", "events-v1");

        var submitted = Assert.IsType<FieldReportSubmitted>(SituationEventLog.ReadPayload(File.ReadAllText(Path.Combine(v1, "field_report_submitted.json")), 1));
        var updated = Assert.IsType<FieldReportUpdated>(SituationEventLog.ReadPayload(File.ReadAllText(Path.Combine(v1, "field_report_updated.json")), 1));
        var verifiedNew = Assert.IsType<FieldReportSubmitted>(SituationEventLog.ReadPayload(
            File.ReadAllText(Path.Combine(v1, "field_report_submitted.json")).Replace("\"verified\": false", "\"verified\": true"), 1));

        Assert.Equal(FieldReportStatus.New, submitted.Report.Status);
        Assert.Equal(FieldReportSeverity.Serious, submitted.Report.Severity);
        Assert.Equal(submitted.Report.ReportedAt, submitted.Report.ObservedAt);
        Assert.Empty(submitted.Report.Photos);
        Assert.Equal("県道で倒木、片側通行不可", submitted.Report.Description);
        Assert.Equal(FieldReportStatus.Verified, verifiedNew.Report.Status);
        Assert.Equal(FieldReportStatus.InProgress, updated.Report.Status);
        Assert.False(updated.WasPublic);
        Assert.Equal(FieldReportChange.Status, updated.Action);
        Assert.Equal("消防団に連絡済み", updated.Report.InternalNote);
    }
}
