using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Bousai.Server.Cap;
using Bousai.Server.Tests.Alerts;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Cap;

/// <summary>Official warnings and the system's river alerts through the CAP feed; a drill's warning is an Exercise cancelled when the drill ends.</summary>
public sealed class CapOfficialAndSystemTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace C = CapXml.Cap;

    private async Task<XElement> LatestAsync(HttpClient client, string keyPrefix, CapMsgType type)
    {
        XElement? found = null;
        await Eventually.TrueAsync(async () =>
        {
            var feed = XDocument.Parse(await client.GetStringAsync(CapEndpoints.FeedPath));
            found = feed.Root!.Elements(Atom + "entry").FirstOrDefault(e =>
                e.Element(Atom + "id")!.Value.StartsWith($"urn:bousai:takahata:{keyPrefix}")
                && e.Element(Atom + "category")!.Attribute("term")!.Value == type.ToString());
            return found is not null;
        }, $"CAP {type} for {keyPrefix}", timeoutSeconds: 15);
        var xml = await client.GetStringAsync(new Uri(found!.Element(Atom + "link")!.Attribute("href")!.Value).PathAndQuery);
        CapSchema.AssertValid(xml);
        return XDocument.Parse(xml).Root!;
    }

    [Fact]
    public async Task An_official_warning_entered_by_hand_is_an_official_alert_for_the_town_and_a_cancel_when_ended()
    {
        using var hq = await app.SignedInClientAsync("hq");
        using var residents = app.Client();
        var entered = await hq.PostAsJsonAsync("/api/official-warnings",
            new { kind = "landslide_alert", name = "土砂災害警戒情報", levelEquivalent = 4, areas = new[] { "高畠町" } });
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var id = (await entered.Content.ReadFromJsonAsync<JsonObject>())!["warningId"]!.GetValue<long>();

        var alert = await LatestAsync(residents, $"official-warning:{id}:", CapMsgType.Alert);
        Assert.Equal("Actual", alert.Element(C + "status")!.Value);
        var info = alert.Element(C + "info")!;
        Assert.StartsWith("公式", info.Element(C + "headline")!.Value);
        Assert.Equal("Geo", info.Element(C + "category")!.Value);
        Assert.Equal("高畠町", info.Element(C + "area")!.Element(C + "areaDesc")!.Value);
        Assert.NotNull(info.Element(C + "area")!.Element(C + "polygon"));

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/official-warnings/{id}/end", null)).StatusCode);
        var cancel = await LatestAsync(residents, $"official-warning:{id}:", CapMsgType.Cancel);
        Assert.Contains(alert.Element(C + "identifier")!.Value, cancel.Element(C + "references")!.Value);
    }

    [Fact]
    public async Task A_warning_entered_in_a_drill_is_an_exercise_cancelled_when_the_drill_ends()
    {
        using var hq = await app.SignedInClientAsync("hq");
        using var residents = app.Client();
        await hq.PostAsync("/api/drills/current/end", null);
        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/drills", new { name = "総合防災訓練" })).StatusCode);
        var entered = await hq.PostAsJsonAsync("/api/official-warnings",
            new { kind = "weather_warning", name = "大雨警報", condition = "土砂災害", levelEquivalent = 3 });
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var warning = (await entered.Content.ReadFromJsonAsync<JsonObject>())!;
        var key = $"drill-{warning["drillId"]!.GetValue<long>()}:official-warning:{warning["warningId"]!.GetValue<long>()}:";

        var alert = await LatestAsync(residents, key, CapMsgType.Alert);
        Assert.Equal("Exercise", alert.Element(C + "status")!.Value);
        Assert.StartsWith("【訓練】", alert.Element(C + "info")!.Element(C + "headline")!.Value);

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);
        var cancel = await LatestAsync(residents, key, CapMsgType.Cancel);
        Assert.Equal("Exercise", cancel.Element(C + "status")!.Value);
    }

    [Fact]
    public async Task A_river_alert_from_the_gauge_is_an_alert_for_the_districts_along_the_river_and_an_update_when_it_escalates()
    {
        await using var gauge = await app.GaugeAsync();
        var readings = new GaugeReadings(app, gauge);
        using var residents = app.Client();
        var t = GaugeReadings.MinutesAgo(100);

        await readings.LevelAsync("station-nakahashi", t, 2.6);
        var alert = await LatestAsync(residents, "system-alert:", CapMsgType.Alert);
        var info = alert.Element(C + "info")!;
        Assert.Equal("Observed", info.Element(C + "certainty")!.Value);
        Assert.Contains("屋代地区", info.Elements(C + "area").Select(a => a.Element(C + "areaDesc")!.Value));
        Assert.Contains("公式の情報ではありません", info.Element(C + "description")!.Value);

        await readings.LevelAsync("station-nakahashi", t.AddMinutes(10), 2.9);
        var update = await LatestAsync(residents, "system-alert:", CapMsgType.Update);
        Assert.Equal("Immediate", update.Element(C + "info")!.Element(C + "urgency")!.Value);
        Assert.Contains(alert.Element(C + "identifier")!.Value, update.Element(C + "references")!.Value);
    }

    [Fact]
    public async Task A_level_issued_in_a_drill_is_an_exercise_beside_the_real_level_and_cancelled_when_the_drill_ends()
    {
        using var hq = await app.SignedInClientAsync("hq");
        using var residents = app.Client();
        await hq.PostAsync("/api/drills/current/end", null);
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-kameoka/evacuation-level",
            new { level = 3, decidedBy = "本部長", reason = "大雨" })).StatusCode);
        var real = await LatestAsync(residents, "district-level:district-kameoka:", CapMsgType.Alert);

        var started = await hq.PostAsJsonAsync("/api/drills", new { name = "総合防災訓練" });
        var drillId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["drillId"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-kameoka/evacuation-level",
            new { level = 5, decidedBy = "本部長", reason = "訓練想定: 氾濫発生" })).StatusCode);
        var exercise = await LatestAsync(residents, $"drill-{drillId}:district-level:district-kameoka:", CapMsgType.Alert);
        Assert.Equal("Exercise", exercise.Element(C + "status")!.Value);
        Assert.Equal("緊急安全確保", exercise.Element(C + "info")!.Element(C + "event")!.Value);

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);
        var cancel = await LatestAsync(residents, $"drill-{drillId}:district-level:district-kameoka:", CapMsgType.Cancel);
        Assert.Equal("Exercise", cancel.Element(C + "status")!.Value);
        Assert.Equal("Alert", await app.Database.ScalarAsync<string>(
            "SELECT string_agg(msg_type, ' ' ORDER BY number) FROM cap_messages WHERE item_key = 'district-level:district-kameoka'"));
        Assert.Equal("Actual", real.Element(C + "status")!.Value);
    }
}
