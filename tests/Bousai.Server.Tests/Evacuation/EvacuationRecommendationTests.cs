using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Bousai.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Evacuation;

/// <summary>
/// 屋代川's gauge (中橋, 氾濫危険水位 2.8 m as shipped) read through real ingestion; the system recommends, HQ issues from the
/// recommendation or dismisses it with a reason. Each test starts from the river low, no level in force and no drill.
/// </summary>
public sealed class EvacuationRecommendationTests(BousaiApp app) : IClassFixture<BousaiApp>, IAsyncLifetime
{
    private const string Basis = "gauge:station-nakahashi";
    private static readonly string LivePicture = Bousai.Server.Drills.DrillStore.InLivePicture("evacuation_recommendations");
    private GaugePublisher _gauge = null!;

    public async Task InitializeAsync()
    {
        _gauge = await app.GaugeAsync();
        await ResetAsync();
    }

    public async Task DisposeAsync() => await _gauge.DisposeAsync();

    private static string Level(double metres) =>
        $$"""{"observedAt":"{{DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""";

    private async Task NakahashiAtAsync(double metres, string stage)
    {
        await Task.Delay(5); // a later observation than the last one
        await _gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", Level(metres));
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<string>(
            "SELECT derived->>'stage' FROM station_states WHERE station_id = 'station-nakahashi' AND quantity = 'water_level'") == stage,
            $"中橋 at {stage}");
    }

    private Task<long> OpenCountAsync(string district) => app.Database.ScalarAsync<long>(
        $"SELECT count(*) FROM evacuation_recommendations WHERE district_id = '{district}' AND status = 'open' AND basis = '{Basis}' AND {LivePicture}");

    private async Task<IReadOnlyList<EvacuationRecommendation>> StaffRecommendationsAsync() =>
        (await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None)).Recommendations!;

    private async Task<EvacuationRecommendation> YashiroRecommendationAsync()
    {
        await Eventually.TrueAsync(async () => (await StaffRecommendationsAsync()).Any(r => r.DistrictId == "district-yashiro"),
            "a recommendation for 屋代地区");
        return (await StaffRecommendationsAsync()).Single(r => r.DistrictId == "district-yashiro");
    }

    /// <summary>No drill, 中橋 low, every district lifted, and so no open recommendation.</summary>
    private async Task ResetAsync()
    {
        using var hq = await app.SignedInClientAsync("hq");
        await hq.PostAsync("/api/drills/current/end", null);
        await NakahashiAtAsync(1.0, "normal");
        foreach (var district in new[] { "district-takahata", "district-niijuku", "district-yashiro", "district-kameoka", "district-wada", "district-nukanome" })
        {
            await hq.PutAsJsonAsync($"/api/districts/{district}/evacuation-level", new { level = 0, decidedBy = "本部長", reason = "試験の準備" });
        }

        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM evacuation_recommendations WHERE status = 'open' AND {LivePicture}") == 0, "no open recommendation");
    }

    [Fact]
    public async Task Yashiro_river_at_flood_danger_recommends_evacuate_for_the_districts_its_flood_zones_touch_and_only_those()
    {
        await NakahashiAtAsync(2.95, "danger");

        var yashiro = await YashiroRecommendationAsync();
        Assert.Equal(4, yashiro.Level);
        Assert.Equal(("避難指示", "Evacuate"), (yashiro.LevelNameJa, yashiro.LevelNameEn));
        Assert.Equal(Basis, yashiro.Basis);
        Assert.Contains("氾濫危険水位", yashiro.ReasonJa);
        Assert.Equal(RecommendationStatus.Open, yashiro.Status);
        Assert.Null(yashiro.DrillId);

        var touched = (await app.Database.ScalarAsync<string[]>(
            """
            SELECT array_agg(DISTINCT d.id ORDER BY d.id) FROM districts d JOIN hazard_zones z
            ON z.hazard = 'flood' AND z.properties->>'river' = '屋代川' AND ST_Intersects(z.geom, d.geom)
            """)).ToList();
        Assert.Contains("district-yashiro", touched);
        Assert.True(touched.Count < 6, "屋代川's flood zones do not touch every district");
        await Eventually.TrueAsync(async () => (await StaffRecommendationsAsync()).Count == touched.Count, "one recommendation per touched district");
        Assert.Equal(touched, (await StaffRecommendationsAsync()).Select(r => r.DistrictId).Order());
        Assert.All(await StaffRecommendationsAsync(), r => Assert.Equal((4, Basis), (r.Level, r.Basis)));

        var residents = await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Public, CancellationToken.None);
        Assert.Null(residents.Recommendations);
        Assert.Equal(1, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM situation_events WHERE kind = 'evacuation_recommended' AND (payload->'recommendation'->>'recommendationId')::bigint = {yashiro.RecommendationId}"));
    }

    [Fact]
    public async Task Passes_at_once_as_from_several_instances_make_one_recommendation_per_district()
    {
        await NakahashiAtAsync(2.95, "danger");
        var recommender = app.Services.GetRequiredService<EvacuationRecommender>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => recommender.EvaluateAsync(CancellationToken.None))));
        await YashiroRecommendationAsync();
        await recommender.EvaluateAsync(CancellationToken.None);

        Assert.Equal(1, await OpenCountAsync("district-yashiro"));
        Assert.Equal(1, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM situation_events WHERE kind = 'evacuation_recommended' AND payload->'recommendation'->>'districtId' = 'district-yashiro' " +
            "AND (payload->'recommendation'->>'recommendationId')::bigint IN (SELECT id FROM evacuation_recommendations WHERE status = 'open')"));
    }

    [Fact]
    public async Task Falling_below_evacuation_level_supersedes_the_open_recommendation()
    {
        await NakahashiAtAsync(2.95, "danger");
        var recommended = await YashiroRecommendationAsync();

        await NakahashiAtAsync(2.0, "standby");

        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<string>(
            $"SELECT status FROM evacuation_recommendations WHERE id = {recommended.RecommendationId}") == "superseded", "superseded");
        Assert.DoesNotContain(await StaffRecommendationsAsync(), r => r.RecommendationId == recommended.RecommendationId);
    }

    [Fact]
    public async Task Issuing_from_the_recommendation_records_level_4_with_its_id_who_and_why_and_answers_it_once()
    {
        await NakahashiAtAsync(2.95, "danger");
        var recommended = await YashiroRecommendationAsync();
        using var hq = await app.SignedInClientAsync("hq");

        var response = await hq.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/issue", new { decidedBy = "本部長（町長）" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var district = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(4, district["level"]!.GetValue<int>());
        Assert.Equal(recommended.RecommendationId, district["recommendationId"]!.GetValue<long>());
        Assert.Equal("本部長（町長）", district["decidedBy"]!.GetValue<string>());
        Assert.Equal(recommended.ReasonJa, district["reason"]!.GetValue<string>());

        var snapshot = await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None);
        var yashiro = snapshot.Districts.Single(d => d.DistrictId == "district-yashiro");
        Assert.Equal((4, recommended.RecommendationId, "hq"), (yashiro.Level, yashiro.RecommendationId, yashiro.EnteredBy));
        Assert.DoesNotContain(snapshot.Recommendations!, r => r.DistrictId == "district-yashiro");
        Assert.Equal("issued hq", await app.Database.ScalarAsync<string>(
            $"SELECT status || ' ' || answered_by FROM evacuation_recommendations WHERE id = {recommended.RecommendationId}"));

        var levelSeq = await app.Database.ScalarAsync<long>(
            $"SELECT max(seq) FROM situation_events WHERE kind = 'district_evacuation_level_changed' AND (payload->'district'->>'recommendationId')::bigint = {recommended.RecommendationId}");
        var answeredSeq = await app.Database.ScalarAsync<long>(
            $"SELECT max(seq) FROM situation_events WHERE kind = 'evacuation_recommendation_answered' AND payload->'recommendation'->>'status' = 'issued' AND (payload->'recommendation'->>'recommendationId')::bigint = {recommended.RecommendationId}");
        Assert.Equal(levelSeq + 1, answeredSeq);
        Assert.Equal(1, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE action = 'evacuation.level' AND details->>'recommendationId' = '{recommended.RecommendationId}'"));

        var again = await hq.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/issue", new { decidedBy = "本部長" });
        var dismiss = await hq.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/dismiss", new { reason = "遅すぎる" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, dismiss.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hq.PostAsJsonAsync("/api/evacuation/recommendations/999999/issue", new { decidedBy = "本部長" })).StatusCode);
    }

    [Fact]
    public async Task Issuing_needs_who_decided_it()
    {
        await NakahashiAtAsync(2.95, "danger");
        var recommended = await YashiroRecommendationAsync();
        using var hq = await app.SignedInClientAsync("hq");

        var response = await hq.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/issue", new { decidedBy = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["decidedBy"]);
        Assert.Equal(1, await OpenCountAsync("district-yashiro"));
    }

    [Fact]
    public async Task Dismissing_needs_a_reason_keeps_it_and_is_not_asked_again_while_the_river_stays_high()
    {
        await NakahashiAtAsync(2.95, "danger");
        var recommended = await YashiroRecommendationAsync();
        using var hq = await app.SignedInClientAsync("hq");

        var withoutReason = await hq.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/dismiss", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.NotNull((await withoutReason.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["reason"]);

        var response = await hq.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/dismiss",
            new { reason = "現地確認で越水のおそれなし" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dismissed = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("dismissed", dismissed["status"]!.GetValue<string>());
        Assert.Equal("現地確認で越水のおそれなし", dismissed["answerReason"]!.GetValue<string>());
        Assert.Equal("hq", dismissed["answeredBy"]!.GetValue<string>());
        Assert.NotNull(dismissed["answeredAt"]);

        await app.Services.GetRequiredService<EvacuationRecommender>().EvaluateAsync(CancellationToken.None);
        Assert.Equal(0, await OpenCountAsync("district-yashiro"));
        Assert.Equal(0, (await StaffRecommendationsAsync()).Count(r => r.DistrictId == "district-yashiro"));
        Assert.Equal(0, await app.Database.ScalarAsync<short>(
            "SELECT level FROM district_evacuation_levels WHERE district_id = 'district-yashiro' AND drill_id IS NULL"));
        Assert.Equal(HttpStatusCode.Conflict, (await hq.PostAsJsonAsync(
            $"/api/evacuation/recommendations/{recommended.RecommendationId}/dismiss", new { reason = "二度目" })).StatusCode);

        var listed = (await hq.GetFromJsonAsync<JsonArray>("/api/evacuation/recommendations"))!;
        Assert.Contains(listed, r => r!["recommendationId"]!.GetValue<long>() == recommended.RecommendationId && r["status"]!.GetValue<string>() == "dismissed");
    }

    [Fact]
    public async Task A_level_issued_in_a_drill_sits_beside_the_real_one_and_the_real_one_returns_when_the_drill_ends()
    {
        using var hq = await app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level",
            new { level = 3, decidedBy = "本部長", reason = "大雨のおそれ" })).StatusCode);
        var started = (await (await hq.PostAsJsonAsync("/api/drills", new { name = "総合防災訓練" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var drillId = started["drillId"]!.GetValue<long>();

        await NakahashiAtAsync(2.95, "danger");
        var recommended = await YashiroRecommendationAsync();
        Assert.Equal((4, drillId), (recommended.Level, recommended.DrillId));
        var issued = await hq.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/issue", new { decidedBy = "本部長（訓練）" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);

        var snapshots = app.Services.GetRequiredService<SituationSnapshots>();
        var duringDrill = (await snapshots.LoadAsync(Audience.Public, CancellationToken.None)).Districts.Single(d => d.DistrictId == "district-yashiro");
        Assert.Equal((4, drillId, recommended.RecommendationId), (duringDrill.Level, duringDrill.DrillId!.Value, duringDrill.RecommendationId!.Value));
        Assert.Equal(3, await app.Database.ScalarAsync<short>(
            "SELECT level FROM district_evacuation_levels WHERE district_id = 'district-yashiro' AND drill_id IS NULL"));

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);

        var afterDrill = (await snapshots.LoadAsync(Audience.Public, CancellationToken.None)).Districts.Single(d => d.DistrictId == "district-yashiro");
        Assert.Equal((3, (long?)null, (long?)null), (afterDrill.Level, afterDrill.DrillId, afterDrill.RecommendationId));
        Assert.Equal("大雨のおそれ", afterDrill.Reason);
        Assert.DoesNotContain(await StaffRecommendationsAsync(), r => r.RecommendationId == recommended.RecommendationId);
    }

    [Theory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("field", HttpStatusCode.Forbidden)]
    [InlineData("shelter", HttpStatusCode.Forbidden)]
    public async Task Only_HQ_reads_issues_or_dismisses_recommendations(string role, HttpStatusCode expected)
    {
        await NakahashiAtAsync(2.95, "danger");
        var recommended = await YashiroRecommendationAsync();
        using var client = role == "anonymous" ? app.Client() : await app.SignedInClientAsync(role);

        var list = await client.GetAsync("/api/evacuation/recommendations");
        var issue = await client.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/issue", new { decidedBy = "本部長" });
        var dismiss = await client.PostAsJsonAsync($"/api/evacuation/recommendations/{recommended.RecommendationId}/dismiss", new { reason = "不要" });

        Assert.Equal((expected, expected, expected), (list.StatusCode, issue.StatusCode, dismiss.StatusCode));
        Assert.Equal(1, await OpenCountAsync("district-yashiro"));
    }
}
