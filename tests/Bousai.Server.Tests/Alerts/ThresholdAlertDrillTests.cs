using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Domain.Alerts;
using Bousai.Server.Alerts;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Alerts;

/// <summary>
/// A threshold alert raised while a drill is on is the drill's: marked with it, and gone from the live picture when it
/// ends. An alert HQ clears by hand stays cleared at its step; only a higher step raises again.
/// </summary>
public sealed class ThresholdAlertDrillTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private async Task<IReadOnlyList<AlertState>> StaffAlertsAsync(string station) =>
        [.. (await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None))
            .Alerts.Where(a => a.StationId == station)];

    [Fact]
    public async Task An_alert_raised_during_a_drill_carries_the_drill_and_leaves_the_picture_when_it_ends()
    {
        const string station = "station-nakahashi";
        await using var gauge = await app.GaugeAsync();
        var readings = new GaugeReadings(app, gauge);
        using var hq = await app.SignedInClientAsync("hq");
        var started = await hq.PostAsJsonAsync("/api/drills", new { name = "水害対応訓練" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var drillId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["drillId"]!.GetValue<long>();
        var t = GaugeReadings.MinutesAgo(60);

        await readings.LevelAsync(station, t, 2.9);
        var drillAlert = Assert.Single(await StaffAlertsAsync(station));
        Assert.Equal((drillId, ThresholdStep.Danger), (drillAlert.DrillId, drillAlert.Step));

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);
        Assert.Empty(await StaffAlertsAsync(station));
        Assert.Equal("raised", await app.Database.ScalarAsync<string>($"SELECT status FROM alerts WHERE id = {drillAlert.AlertId}"));

        // The river is really still high: the next reading raises a real alert of its own.
        await readings.LevelAsync(station, t.AddMinutes(10), 2.9);
        var real = Assert.Single(await StaffAlertsAsync(station));
        Assert.NotEqual(drillAlert.AlertId, real.AlertId);
        Assert.Null(real.DrillId);
        Assert.Equal(ThresholdStep.Danger, real.Step);
    }

    [Fact]
    public async Task An_alert_HQ_cleared_by_hand_does_not_come_back_at_the_same_step_but_a_higher_step_raises_anew()
    {
        const string station = "station-nukanome"; // 氾濫注意 11.8, 避難判断 12.6, 氾濫危険 13.2 m
        await using var gauge = await app.GaugeAsync();
        var readings = new GaugeReadings(app, gauge);
        using var hq = await app.SignedInClientAsync("hq");
        var t = GaugeReadings.MinutesAgo(60);

        await readings.LevelAsync(station, t, 11.9);
        var first = Assert.Single(await StaffAlertsAsync(station));
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/alerts/{first.AlertId}/clear", new { note = "確認済み" })).StatusCode);

        await readings.LevelAsync(station, t.AddMinutes(10), 12.0);
        Assert.Empty(await StaffAlertsAsync(station));

        await readings.LevelAsync(station, t.AddMinutes(20), 12.7);
        var second = Assert.Single(await StaffAlertsAsync(station));
        Assert.NotEqual(first.AlertId, second.AlertId);
        Assert.Equal((ThresholdStep.Evacuation, 3), (second.Step, second.Level));
        Assert.Equal(1, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE actor = 'system:threshold-alerts' AND action = 'alert.raise' AND entity_id = '{second.AlertId}'"));
        Assert.Equal("hq", await app.Database.ScalarAsync<string>(
            $"SELECT payload->>'clearedBy' FROM situation_events WHERE kind = 'alert_cleared' AND (payload->>'alertId')::bigint = {first.AlertId}"));
    }
}
