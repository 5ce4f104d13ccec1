using Bousai.Domain.Alerts;
using Bousai.Server.Alerts;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Alerts;

/// <summary>Rule state lives in the database: a restarted server and a second instance go on from it, one alert per crossing.</summary>
public sealed class ThresholdAlertInstancesTests : IAsyncLifetime
{
    private const string Station = "station-nakahashi"; // 氾濫注意 2.1, 避難判断 2.5, 氾濫危険 2.8 m
    private readonly BousaiApp _a = BousaiApp.OnKestrel();

    public Task InitializeAsync() => ((IAsyncLifetime)_a).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_a).DisposeAsync();

    [Fact]
    public async Task A_restarted_server_keeps_the_rule_state_and_escalates_the_same_alert()
    {
        var t = GaugeReadings.MinutesAgo(60);
        await using (var gauge = await _a.GaugeAsync())
        {
            await new GaugeReadings(_a, gauge).LevelAsync(Station, t, 2.2);
        }

        var alertId = await _a.Database.ScalarAsync<long>($"SELECT id FROM alerts WHERE station_id = '{Station}'");
        await _a.DisposeAsync(); // the server stops; its database stays

        await using var restarted = _a.AnotherInstance();
        await ((IAsyncLifetime)restarted).InitializeAsync();
        await using (var gauge = await restarted.GaugeAsync())
        {
            var readings = new GaugeReadings(restarted, gauge);
            await readings.LevelAsync(Station, t.AddMinutes(10), 2.3);
            Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(restarted, Station));
            await readings.LevelAsync(Station, t.AddMinutes(20), 2.6);
        }

        Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(restarted, Station));
        Assert.Equal("evacuation", await restarted.Database.ScalarAsync<string>($"SELECT step FROM alerts WHERE id = {alertId}"));
        Assert.Equal(1, await GaugeReadings.AlertEventsAsync(restarted, Station, "alert_raised"));
        Assert.Equal(1, await GaugeReadings.AlertEventsAsync(restarted, Station, "alert_escalated"));
    }

    [Fact]
    public async Task Two_instances_evaluating_the_same_crossing_raise_one_alert()
    {
        await using var b = _a.AnotherInstance();
        await ((IAsyncLifetime)b).InitializeAsync();
        var t = GaugeReadings.MinutesAgo(60);

        // Both instances follow the log: a reading ingested by A is seen by the evaluators of both.
        await using (var gauge = await _a.GaugeAsync())
        {
            await new GaugeReadings(_a, gauge).LevelAsync(Station, t, 2.2);
        }

        Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(_a, Station));

        // And the same crossings evaluated at the same moment by both, again and again, still move the one alert once each.
        var evaluators = new[] { _a, b }.Select(i => i.Services.GetRequiredService<ThresholdAlertEvaluator>()).ToList();
        var decisions = new List<ThresholdDecisionKind>();
        foreach (var (at, metres) in new[] { (t.AddMinutes(10), 2.6), (t.AddMinutes(20), 2.9) })
        {
            var observation = new RiverLevelObservation(at, metres);
            decisions.AddRange(await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                evaluators[i % 2].EvaluateAsync(Station, ThresholdRuleKind.RiverStage, observation, CancellationToken.None))));
        }

        Assert.Equal(2, decisions.Count(d => d == ThresholdDecisionKind.Escalate));
        Assert.Equal(10, decisions.Count(d => d == ThresholdDecisionKind.None));
        Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(_a, Station));
        Assert.Equal(1, await GaugeReadings.AlertEventsAsync(_a, Station, "alert_raised"));
        Assert.Equal(2, await GaugeReadings.AlertEventsAsync(_a, Station, "alert_escalated"));
        Assert.Equal("danger", await _a.Database.ScalarAsync<string>($"SELECT step FROM alerts WHERE station_id = '{Station}'"));
    }
}
