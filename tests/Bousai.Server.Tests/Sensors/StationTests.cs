using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;
using Bousai.Testing;

namespace Bousai.Server.Tests.Sensors;

/// <summary>Stations are data: admins add them and change thresholds while ingestion runs; HQ sees each gauge's derived state.</summary>
public sealed class StationTests(BousaiApp app) : IClassFixture<BousaiApp>, IAsyncLifetime
{
    private GaugePublisher _gauge = null!;

    public async Task InitializeAsync() => _gauge = await app.GaugeAsync();

    public async Task DisposeAsync() => await _gauge.DisposeAsync();

    private static DateTimeOffset Minute(double minutesAgo) =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).ToUnixTimeSeconds() / 60 * 60);

    private static string Reading(DateTimeOffset t, double value, string unit) =>
        $$"""{"observedAt":"{{t.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}","value":{{value.ToString(CultureInfo.InvariantCulture)}},"unit":"{{unit}}"}""";

    private Task<string?> DerivedAsync(string station, string field) =>
        app.Database.ScalarAsync<string?>($"SELECT derived->>'{field}' FROM station_states WHERE station_id = '{station}'");

    [Fact]
    public async Task A_station_added_by_an_admin_is_ingested_at_once_and_judged_by_its_thresholds_as_they_change()
    {
        using var admin = await app.SignedInClientAsync("admin");
        using var hq = await app.SignedInClientAsync("hq");
        var topic = "bousai/v1/stations/station-test-kubo/water_level";
        await _gauge.PublishAsync(topic, Reading(Minute(60), 1.0, "m"));
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM dead_letters WHERE station_id = 'station-test-kubo' AND reason = 'unknown_station'") == 1, "the unknown-station dead letter");

        var refused = await hq.PostAsJsonAsync("/api/admin/stations", new { stationId = "station-test-kubo" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var bad = await admin.PostAsJsonAsync("/api/admin/stations", new
        {
            stationId = "station-test-kubo", nameJa = "久保", kind = "water_level", longitude = 140.2, latitude = 38.0,
            thresholds = new Dictionary<string, double> { ["standby"] = 2.0, ["caution"] = 1.5 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("must be above", await bad.Content.ReadAsStringAsync());

        var added = await admin.PostAsJsonAsync("/api/admin/stations", new
        {
            stationId = "station-test-kubo", nameJa = "久保", kind = "water_level", longitude = 140.2, latitude = 38.0,
            thresholds = new Dictionary<string, double> { ["standby"] = 1.0, ["caution"] = 1.5, ["evacuation"] = 2.5, ["danger"] = 3.0 },
        });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        await _gauge.PublishAsync(topic, Reading(Minute(40), 1.2, "m"));
        await _gauge.PublishAsync(topic, Reading(Minute(0), 2.0, "m"));
        await Eventually.TrueAsync(async () => await DerivedAsync("station-test-kubo", "value") == "2", "the derived state of 2.0 m");
        Assert.Equal("caution", await DerivedAsync("station-test-kubo", "stage"));
        Assert.Equal("rising", await DerivedAsync("station-test-kubo", "trend"));
        Assert.Equal("2", await DerivedAsync("station-test-kubo", "alertLevelEquivalent"));

        var lowered = await admin.PutAsJsonAsync("/api/admin/stations/station-test-kubo/thresholds",
            new Dictionary<string, double> { ["standby"] = 0.8, ["caution"] = 1.2, ["evacuation"] = 1.6, ["danger"] = 1.9 });
        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        await Eventually.TrueAsync(async () => await DerivedAsync("station-test-kubo", "stage") == "danger", "the same reading judged by the new thresholds");
        Assert.Equal(1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'station.thresholds' AND entity_id = 'station-test-kubo'"));
        Assert.True(await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM situation_events WHERE kind = 'station_state_changed' AND payload->'state'->>'stationId' = 'station-test-kubo'") >= 2);

        var stations = (await hq.GetFromJsonAsync<JsonArray>("/api/stations"))!;
        var kubo = stations.Single(s => s!["stationId"]!.GetValue<string>() == "station-test-kubo")!;
        Assert.Equal(1, kubo["deadLetters24h"]!.GetValue<int>());
        Assert.Equal("danger", kubo["state"]!["stage"]!.GetValue<string>());

        var chart = (await app.Client().GetFromJsonAsync<JsonObject>("/api/stations/station-test-kubo/readings?hours=24"))!;
        Assert.Equal(2, chart["points"]!.AsArray().Count); // the reading sent before the station existed stays a dead letter
        Assert.Equal(1.9, chart["thresholds"]!["danger"]!.GetValue<double>());
    }

    [Fact]
    public async Task Rain_gauge_state_has_its_totals_and_a_landslide_estimate_labelled_as_local()
    {
        var topic = "bousai/v1/stations/station-amedas-35541/rainfall";
        var latest = Minute(0);
        var burst = "[" + string.Join(",", Enumerable.Range(0, 6).Select(i => Reading(latest.AddMinutes(-10 * i), 10, "mm"))) + "]";
        await _gauge.PublishAsync(topic, burst);

        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<string?>(
            "SELECT derived->'rain'->>'sixtyMinutes' FROM station_states WHERE station_id = 'station-amedas-35541'") == "60", "60 mm in an hour");
        Assert.Equal("10", await app.Database.ScalarAsync<string?>("SELECT derived->'rain'->>'tenMinutes' FROM station_states WHERE station_id = 'station-amedas-35541'"));
        Assert.Equal("60", await app.Database.ScalarAsync<string?>("SELECT derived->'rain'->>'continuous' FROM station_states WHERE station_id = 'station-amedas-35541'"));
        var label = await app.Database.ScalarAsync<string?>("SELECT derived->'landslide'->>'label' FROM station_states WHERE station_id = 'station-amedas-35541'");
        Assert.Contains("公式の土砂災害警戒情報ではありません", label);
        Assert.NotEqual("none", await app.Database.ScalarAsync<string?>(
            "SELECT derived->'landslide'->>'concern' FROM station_states WHERE station_id = 'station-amedas-35541'"));
    }
}
