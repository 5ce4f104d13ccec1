using Bousai.Domain.Alerts;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Alerts;

/// <summary>Silence sends no message: the timer finds a gauge gone quiet past its expected interval and raises an alert.</summary>
public sealed class GaugeSilenceAlertTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> EverySecond = new() { ["ThresholdAlerts:SilenceCheckInterval"] = "00:00:01" };
    private readonly BousaiApp _now = BousaiApp.OnKestrel(EverySecond);

    public Task InitializeAsync() => ((IAsyncLifetime)_now).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_now).DisposeAsync();

    [Fact]
    public async Task A_gauge_silent_past_its_interval_is_raised_by_the_timer_and_one_still_reporting_is_not()
    {
        const string station = "station-nukanome"; // reports every 10 minutes
        var heard = GaugeReadings.MinutesAgo(1);
        await using (var gauge = await _now.GaugeAsync())
        {
            await new GaugeReadings(_now, gauge).LevelAsync(station, heard, 10.5);
        }

        await GaugeReadings.EvaluatedAsync(_now, station, "gauge_silence", DateTimeOffset.UtcNow);
        Assert.Equal(0, await GaugeReadings.SystemAlertsAsync(_now, station));

        // The same server two hours on, with nothing heard since.
        await using var later = _now.AnotherInstance(clockAhead: TimeSpan.FromHours(2));
        await ((IAsyncLifetime)later).InitializeAsync();
        await Eventually.TrueAsync(async () => await GaugeReadings.SystemAlertsAsync(later, station) == 1, "the silence alert");

        var alert = (await later.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None))
            .Alerts.Single(a => a.StationId == station);
        Assert.Equal(("gauge_silence", ThresholdRuleKind.GaugeSilence, ThresholdStep.Silent, (int?)null),
            (alert.Kind, alert.RuleKind, alert.Step, alert.Level));
        Assert.Contains("受信間隔 10 分を超えて受信なし", alert.Message);
        // Gauges never heard have no silence to speak of: only this one is raised.
        Assert.Equal(1, await later.Database.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE rule_kind = 'gauge_silence'"));
    }
}
