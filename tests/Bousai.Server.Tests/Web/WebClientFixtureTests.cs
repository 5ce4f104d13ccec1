using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bousai.Domain.Alerts;
using Bousai.Domain.Shelters;
using Bousai.Server.Alerts;
using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.Shelters;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// The JSON the web client's unit tests are fed (web/test/fixtures) and the HTTP contract its types are generated
/// from (web/openapi.json), written from the server's real types and endpoints, so both sides agree. The snapshot
/// (as of seq 120) and the batch after it tell one story: the batch raises, acknowledges and clears alert 7 and
/// submits, updates and withdraws report 41, neither of which is in the snapshot, and merges report 43 into the
/// snapshot's report 40.
/// </summary>
public sealed class WebClientFixtureTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static readonly JsonSerializerOptions Readable = new(BousaiJson.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2026-07-08T05:10:00+00:00");
    private const long SnapshotSeq = 120;

    private static string EventFixtures => Path.Combine(Repository.Root, "tests", "Bousai.Server.Tests", "Live", "Fixtures", "events");

    /// <summary>The order the batch tells its story in (a report is submitted before it is updated); fixtures of new kinds follow.</summary>
    private static readonly string[] StoryOrder =
    [
        "station_added", "station_thresholds_changed", "station_state_changed", "station_state_changed.rain", "sensor_messages_refused",
        "alert_raised", "alert_acknowledged", "district_evacuation_level_changed", "alert_cleared",
        "field_report_submitted", "field_report_updated", "field_report_withdrawn", "shelter_status_changed", "shelter_registry_changed",
        "hazards_changed",
    ];

    /// <summary>One event of every kind (the stored-payload fixtures), numbered after the snapshot and a minute apart.</summary>
    private static IReadOnlyList<SituationEvent> EveryKind() => Directory.GetFiles(EventFixtures, "*.json")
        .OrderBy(file => Array.IndexOf(StoryOrder, Path.GetFileNameWithoutExtension(file)) is var i and >= 0 ? i : int.MaxValue)
        .ThenBy(file => file, StringComparer.Ordinal)
        .Select((file, i) => SituationEventLog.ReadPayload(File.ReadAllText(file), SituationEventLog.PayloadVersion) with
        {
            Seq = SnapshotSeq + 1 + i,
            At = T.AddMinutes(1 + i),
        })
        .ToList();

    /// <summary>Report 40 of the snapshot, as it is after the batch's merge of a duplicate into it (which brought its second photo).</summary>
    private static Bousai.Server.Reports.FieldReport MergeTarget(IReadOnlyList<SituationEvent> events) =>
        events.OfType<FieldReportUpdated>().Single(e => e.Action == Bousai.Server.Reports.FieldReportChange.Duplicate).MergedInto!;

    private static string Json(SituationMessage message) => JsonSerializer.Serialize(message, Readable);

    [Fact]
    public void The_staff_snapshot_fixture_is_what_the_staff_hub_sends()
    {
        var events = EveryKind();
        var stations = events.OfType<StationStateChanged>().Select(e => e.State).ToList();
        var snapshot = new SituationSnapshot(SnapshotSeq, T,
            [
                new ShelterState("takahata-shelter-01", false, 0, 300, false, ShelterCrowding.Band(false, 0, 300, false), null, null, null,
                    new ShelterSuitability(true, true, []), ShelterKind.Both, ["flood", "landslide", "earthquake"], true, false, null),
                new ShelterState("takahata-shelter-09", true, 280, 300, false, ShelterCrowding.Band(true, 280, 300, false), T.AddMinutes(-5), "毛布が不足", "shelter",
                    new ShelterSuitability(false, true, [new SuitabilityReason("in_flood_zone", "屋代川の浸水想定区域内", "Inside the Yashiro River inundation zone")]),
                    ShelterKind.EvacuationShelter, ["earthquake"], false, true, "0238-52-1111（施設管理者）"),
            ],
            [
                new DistrictEvacuation("district-niijuku", 0, null, null, null),
                new DistrictEvacuation("district-yashiro", 4, T.AddMinutes(-20), "本部長（町長）", "hq", "屋代川 中橋観測所で氾濫危険水位を超過"),
            ],
            stations,
            [MergeTarget(events) with { Photos = [MergeTarget(events).Photos[0]], UpdatedAt = T.AddMinutes(-30), Description = "道路冠水 深さ約20cm" }],
            [
                new AlertState(8, "manual", null, null, "土砂崩れの通報多数", AlertStatus.Acknowledged, T.AddMinutes(-15), "hq", "hq", null,
                    AcknowledgedAt: T.AddMinutes(-12)),
            ],
            [.. events.Where(e => e is not StationStateChanged).Select(e => e with { Seq = e.Seq - 100, At = e.At.AddHours(-2) })])
        {
            OfficialWarnings = [.. events.OfType<OfficialWarningChanged>().Select(e => e.Warning)
                .Where(w => w.Status == Bousai.Server.OfficialWarnings.OfficialWarningStatus.InForce)],
            Recommendations = [events.OfType<EvacuationRecommended>().Single().Recommendation with { RecommendationId = 11, DistrictId = "district-takahata" }],
        };

        CommittedFiles.AssertJsonCommitted("web/test/fixtures/snapshot.json", Json(SituationMessage.ForSnapshot(snapshot)));
    }

    [Fact]
    public void The_batch_fixture_holds_one_event_of_every_kind_as_the_staff_hub_sends_them()
    {
        var events = EveryKind();
        var batch = SituationMessage.ForEvents(SnapshotSeq, events[^1].Seq, events);

        Assert.Equal(SituationEventLog.AllKinds.Order(), JsonNode.Parse(Json(batch))!["events"]!.AsArray()
            .Select(e => e!["kind"]!.GetValue<string>()).Distinct().Order());
        CommittedFiles.AssertJsonCommitted("web/test/fixtures/batch.json", Json(batch));
    }

    [Fact]
    public async Task The_400_fixture_is_a_real_endpoint_refusing_a_decision_without_a_reason()
    {
        using var hq = await app.SignedInClientAsync("hq");

        var response = await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 4, decidedBy = "本部長" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]!["reason"]);
        problem.Remove("traceId"); // differs on every request
        CommittedFiles.AssertJsonCommitted("web/test/fixtures/problem-400.json", problem.ToJsonString(Readable));
    }

    [Fact]
    public async Task The_committed_OpenAPI_document_is_the_one_the_server_serves()
    {
        var served = await app.Client().GetStringAsync("/openapi/v1.json");

        CommittedFiles.AssertJsonCommitted("web/openapi.json", JsonNode.Parse(served)!.ToJsonString(Readable));
    }
}
