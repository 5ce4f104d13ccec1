using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Domain.Alerts;
using Bousai.Server.Alerts;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Bousai.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Alerts;

/// <summary>
/// Gauge readings through real ingestion raise, escalate and clear the system's threshold alerts by the stations'
/// rules (defaults of migration 0011). Each test has its own station, so they do not meet.
/// </summary>
public sealed class ThresholdAlertTests(BousaiApp app) : IClassFixture<BousaiApp>, IAsyncLifetime
{
    private GaugePublisher _gauge = null!;
    private GaugeReadings _readings = null!;

    public async Task InitializeAsync()
    {
        _gauge = await app.GaugeAsync();
        _readings = new GaugeReadings(app, _gauge);
    }

    public async Task DisposeAsync() => await _gauge.DisposeAsync();

    private async Task<AlertState?> ActiveAsync(string station) =>
        (await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None))
        .Alerts.SingleOrDefault(a => a.StationId == station);

    [Fact]
    public async Task A_rising_river_raises_one_alert_and_escalates_it_from_caution_to_danger()
    {
        const string station = "station-nakahashi"; // 氾濫注意 2.1, 避難判断 2.5, 氾濫危険 2.8 m
        var t = GaugeReadings.MinutesAgo(100);

        await _readings.LevelAsync(station, t, 2.2);
        var raised = await ActiveAsync(station);
        Assert.NotNull(raised);
        Assert.Equal(("system", "water_level", ThresholdRuleKind.RiverStage, ThresholdStep.Caution), (raised.Source, raised.Kind, raised.RuleKind, raised.Step));
        Assert.Equal((2, 2), (raised.Level, raised.LevelEquivalent));
        Assert.Equal("system", raised.RaisedBy);
        Assert.Contains("氾濫注意水位 2.10 m", raised.Message);
        Assert.Contains("flood caution level", raised.MessageEn);
        Assert.Null(raised.DrillId);

        await _readings.LevelAsync(station, t.AddMinutes(10), 2.6);
        var evacuation = await ActiveAsync(station);
        Assert.Equal((raised.AlertId, ThresholdStep.Evacuation, 3), (evacuation!.AlertId, evacuation.Step, evacuation.Level));

        using var hq = await app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/alerts/{raised.AlertId}/acknowledge", null)).StatusCode);

        await _readings.LevelAsync(station, t.AddMinutes(20), 2.9);
        var danger = await ActiveAsync(station);
        Assert.Equal((raised.AlertId, ThresholdStep.Danger, 4, 4), (danger!.AlertId, danger.Step, danger.Level, danger.LevelEquivalent));
        Assert.Contains("氾濫危険水位 2.80 m", danger.Message);
        Assert.Equal(AlertStatus.Acknowledged, danger.Status);
        Assert.Equal("hq", danger.AcknowledgedBy);
        Assert.NotNull(danger.UpdatedAt);

        Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(app, station));
        Assert.Equal(1, await GaugeReadings.AlertEventsAsync(app, station, "alert_raised"));
        Assert.Equal(2, await GaugeReadings.AlertEventsAsync(app, station, "alert_escalated"));
        Assert.Equal(3, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE actor = 'system:threshold-alerts' AND entity_id = '{raised.AlertId}'"));
    }

    [Fact]
    public async Task An_alert_clears_only_after_the_level_stays_the_margin_below_for_the_clear_time()
    {
        const string station = "station-nukanome"; // 氾濫注意 11.8 m: clear side at or below 11.70 m for 30 minutes
        var t = GaugeReadings.MinutesAgo(200);

        await _readings.LevelAsync(station, t, 11.9);
        var raised = await ActiveAsync(station);
        Assert.Equal(ThresholdStep.Caution, raised!.Step);

        await _readings.LevelAsync(station, t.AddMinutes(10), 11.75); // below the line, not the margin below it
        await _readings.LevelAsync(station, t.AddMinutes(20), 11.6);
        await _readings.LevelAsync(station, t.AddMinutes(30), 11.65);
        await _readings.LevelAsync(station, t.AddMinutes(40), 11.72); // back inside the margin: the clear timer starts again
        await _readings.LevelAsync(station, t.AddMinutes(50), 11.6);
        await _readings.LevelAsync(station, t.AddMinutes(70), 11.5);
        Assert.Equal(raised.AlertId, (await ActiveAsync(station))?.AlertId);

        await _readings.LevelAsync(station, t.AddMinutes(80), 11.5);
        Assert.Null(await ActiveAsync(station));
        Assert.Equal("system", await app.Database.ScalarAsync<string>(
            $"SELECT payload->>'clearedBy' FROM situation_events WHERE kind = 'alert_cleared' AND (payload->>'alertId')::bigint = {raised.AlertId}"));
        var note = await app.Database.ScalarAsync<string>($"SELECT note FROM alerts WHERE id = {raised.AlertId}");
        Assert.Contains("30 分続いたため解除", note);
        Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(app, station));
        Assert.Equal(1, await GaugeReadings.AlertEventsAsync(app, station, "alert_cleared"));
    }

    [Fact]
    public async Task A_level_bouncing_on_a_threshold_raises_once_and_does_not_flap()
    {
        const string station = "station-wada-natsumo"; // crisis gauge: 観測開始 0.8 m, 危険 1.9 m
        var t = GaugeReadings.MinutesAgo(150);

        double[] bouncing = [0.82, 0.79, 0.81, 0.78, 0.80, 0.79, 0.83];
        for (var i = 0; i < bouncing.Length; i++)
        {
            await _readings.LevelAsync(station, t.AddMinutes(10 * i), bouncing[i]);
        }

        var alert = await ActiveAsync(station);
        Assert.Equal((ThresholdStep.Observing, (int?)null), (alert!.Step, alert.Level));
        Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(app, station));
        Assert.Equal(1, await GaugeReadings.AlertEventsAsync(app, station, "alert_raised"));
        Assert.Equal(0, await GaugeReadings.AlertEventsAsync(app, station, "alert_cleared"));
    }

    [Fact]
    public async Task Sixty_minute_rain_at_the_station_criterion_raises_a_rain_alert_without_a_level()
    {
        const string station = "station-amedas-35552"; // default criterion 50 mm
        var t = GaugeReadings.MinutesAgo(90);

        for (var i = 0; i < 4; i++)
        {
            await _readings.RainAsync(station, t.AddMinutes(10 * i), 12);
            Assert.Null(await ActiveAsync(station));
        }

        await _readings.RainAsync(station, t.AddMinutes(40), 12);
        var alert = await ActiveAsync(station);
        Assert.Equal(("rain", ThresholdStep.RainCriterion, (int?)null), (alert!.Kind, alert.Step, alert.LevelEquivalent));
        Assert.Contains("基準 50 mm", alert.Message);
    }
}
