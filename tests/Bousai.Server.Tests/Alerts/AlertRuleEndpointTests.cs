using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Alerts;

/// <summary>A station's threshold rules as data: HQ reads them, an admin changes them, validated by the domain's rule.</summary>
public sealed class AlertRuleEndpointTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static JsonObject Rule(JsonArray rules, string kind) => rules.Select(r => r!.AsObject()).Single(r => r["kind"]!.GetValue<string>() == kind);

    [Fact]
    public async Task Every_station_starts_with_its_rules_and_the_town_rain_criterion()
    {
        using var hq = await app.SignedInClientAsync("hq");

        var river = (await hq.GetFromJsonAsync<JsonArray>("/api/stations/station-nakahashi/alert-rules"))!;
        var rain = (await hq.GetFromJsonAsync<JsonArray>("/api/stations/station-amedas-35511/alert-rules"))!;

        Assert.Equal(["gauge_silence", "river_stage"], river.Select(r => r!["kind"]!.GetValue<string>()).Order());
        Assert.Equal(0.10, Rule(river, "river_stage")["clearMargin"]!.GetValue<double>());
        Assert.Equal("none", Rule(river, "river_stage")["raised"]!.GetValue<string>());
        Assert.Equal(["gauge_silence", "local_landslide", "sixty_minute_rain"], rain.Select(r => r!["kind"]!.GetValue<string>()).Order());
        Assert.Equal(50, Rule(rain, "sixty_minute_rain")["criterionMm"]!.GetValue<double>());
        Assert.Equal(HttpStatusCode.NotFound, (await hq.GetAsync("/api/stations/station-nowhere/alert-rules")).StatusCode);
    }

    [Fact]
    public async Task An_admin_changes_a_rule_and_the_change_is_audited()
    {
        using var admin = await app.SignedInClientAsync("admin");

        var response = await admin.PutAsJsonAsync("/api/stations/station-amedas-35466/alert-rules/sixty_minute_rain",
            new { durationSeconds = 600, clearAfterSeconds = 1800, clearMargin = 5, criterionMm = 70 });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var saved = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((70.0, 600, "admin"), (saved["criterionMm"]!.GetValue<double>(), saved["durationSeconds"]!.GetValue<int>(),
            saved["updatedBy"]!.GetValue<string>()));
        Assert.Equal(70.0, await app.Database.ScalarAsync<double>(
            "SELECT criterion_mm FROM alert_rules WHERE station_id = 'station-amedas-35466' AND kind = 'sixty_minute_rain'"));
        Assert.Equal(1, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'alert_rule.change' AND entity_id = 'station-amedas-35466/sixty_minute_rain' AND actor = 'admin'"));
    }

    [Theory]
    [InlineData("station-nakahashi", "river_stage", """{"durationSeconds":0,"clearAfterSeconds":600,"clearMargin":-0.1}""", "clearMargin")]
    [InlineData("station-nakahashi", "river_stage", """{"clearAfterSeconds":600,"clearMargin":0.1}""", "durationSeconds")]
    [InlineData("station-nakahashi", "river_stage", """{"durationSeconds":0,"clearAfterSeconds":-1,"clearMargin":0.1}""", "clearAfterSeconds")]
    [InlineData("station-amedas-35511", "sixty_minute_rain", """{"durationSeconds":0,"clearAfterSeconds":600,"clearMargin":5,"criterionMm":0}""", "criterionMm")]
    [InlineData("station-amedas-35511", "sixty_minute_rain", """{"durationSeconds":0,"clearAfterSeconds":600,"clearMargin":5}""", "criterionMm")]
    [InlineData("station-amedas-35511", "gauge_silence", """{"durationSeconds":0,"clearAfterSeconds":600,"clearMargin":5}""", "clearMargin")]
    public async Task A_rule_the_domain_refuses_is_a_400_naming_the_field_and_nothing_changes(string station, string kind, string body, string field)
    {
        using var admin = await app.SignedInClientAsync("admin");
        var before = await app.Database.ScalarAsync<DateTime>($"SELECT updated_at FROM alert_rules WHERE station_id = '{station}' AND kind = '{kind}'");

        var response = await admin.PutAsync($"/api/stations/{station}/alert-rules/{kind}",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
        Assert.Equal(before, await app.Database.ScalarAsync<DateTime>($"SELECT updated_at FROM alert_rules WHERE station_id = '{station}' AND kind = '{kind}'"));
    }

    [Fact]
    public async Task An_unknown_kind_or_a_kind_the_station_does_not_have_is_404()
    {
        using var admin = await app.SignedInClientAsync("admin");
        var body = new { durationSeconds = 0, clearAfterSeconds = 600, clearMargin = 0.1 };

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/stations/station-nakahashi/alert-rules/tsunami", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/stations/station-nakahashi/alert-rules/local_landslide", body)).StatusCode);
    }

    [Theory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData("field", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("shelter", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("hq", HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    public async Task HQ_reads_the_rules_and_only_an_admin_changes_them(string role, HttpStatusCode read, HttpStatusCode change)
    {
        using var client = role == "anonymous" ? app.Client() : await app.SignedInClientAsync(role);
        var before = await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'alert_rule.change'");

        Assert.Equal(read, (await client.GetAsync("/api/stations/station-nakahashi/alert-rules")).StatusCode);
        Assert.Equal(change, (await client.PutAsJsonAsync("/api/stations/station-nakahashi/alert-rules/river_stage",
            new { durationSeconds = 0, clearAfterSeconds = 60, clearMargin = 0.5 })).StatusCode);
        Assert.Equal(before, await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'alert_rule.change'"));
    }

    [Fact]
    public async Task The_next_reading_is_judged_by_the_changed_rule()
    {
        const string station = "station-amedas-35541";
        using var admin = await app.SignedInClientAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/stations/{station}/alert-rules/sixty_minute_rain",
            new { durationSeconds = 0, clearAfterSeconds = 3600, clearMargin = 5, criterionMm = 20 })).StatusCode);
        await using var gauge = await app.GaugeAsync();
        var readings = new GaugeReadings(app, gauge);
        var t = GaugeReadings.MinutesAgo(40);

        await readings.RainAsync(station, t, 8);
        await readings.RainAsync(station, t.AddMinutes(10), 8);
        Assert.Equal(0, await GaugeReadings.SystemAlertsAsync(app, station));
        await readings.RainAsync(station, t.AddMinutes(20), 8);

        Assert.Equal(1, await GaugeReadings.SystemAlertsAsync(app, station));
        Assert.Contains("基準 20 mm", await app.Database.ScalarAsync<string>($"SELECT message FROM alerts WHERE station_id = '{station}'"));
    }
}
