using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Live;
using Bousai.Server.Shelters;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Shelters;

/// <summary>
/// Suitability against the shipped zones (PostGIS intersection): takahata-shelter-07 lies inside the 和田川 flood zone
/// (flood-zones.geojson) and is not designated for floods; takahata-shelter-01 lies outside every zone. The 和田川
/// gauge (station-wada-natsumo, a crisis gauge, 危険水位 1.9 m) reaching danger through the real MQTT ingestion makes
/// the flood active, and hazards_changed is logged exactly once.
/// </summary>
public sealed class ShelterSuitabilityTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel();

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<long> HazardEventsAsync() => _app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events WHERE kind = 'hazards_changed'");

    private static string Level(DateTimeOffset t, double metres) =>
        $$"""{"observedAt":"{{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""";

    /// <summary>Every shelter's state as HQ's page starts from it: the staff hub's snapshot.</summary>
    private async Task<IReadOnlyList<ShelterState>> SheltersAsync()
    {
        await using var staff = await LiveClient.ConnectAsync(_app.BaseAddress, "/hubs/situation", await _app.SignedInCookiesAsync("hq"));
        staff.Follow();
        await staff.WaitUntilAsync(c => c.Snapshot is not null, "a staff snapshot");
        return staff.Snapshot!.Shelters;
    }

    private static string[] Reasons(ShelterState shelter) => [.. shelter.Suitability.Reasons.Select(r => $"{r.Code}:{r.Ja}")];

    [Fact]
    public async Task A_gauge_at_danger_flags_shelters_in_its_rivers_zone_and_announces_the_change_once()
    {
        await using var staffHub = (await LiveClient.ConnectAsync(_app.BaseAddress, "/hubs/situation", await _app.SignedInCookiesAsync("hq"))).Follow();
        await using var resident = (await LiveClient.ConnectAsync(_app.BaseAddress, "/hubs/public")).Follow();
        await staffHub.WaitUntilAsync(c => c.Snapshot is not null, "the staff snapshot");
        await resident.WaitUntilAsync(c => c.Snapshot is not null, "the public snapshot");
        Assert.All(staffHub.Snapshot!.Shelters, s => Assert.True(s.Suitability.Suitable, s.ShelterId));

        await using var gauge = await _app.GaugeAsync();
        var now = DateTimeOffset.UtcNow;
        await gauge.PublishAsync("bousai/v1/stations/station-wada-natsumo/water_level", Level(now.AddMinutes(-1), 2.05));
        await Eventually.TrueAsync(async () => await HazardEventsAsync() == 1, "hazards_changed");
        // A higher reading of the same gauge changes nothing about the hazards: no second announcement.
        await gauge.PublishAsync("bousai/v1/stations/station-wada-natsumo/water_level", Level(now, 2.30));
        await Eventually.TrueAsync(async () => await _app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM station_states WHERE station_id = 'station-wada-natsumo' AND (derived->>'value')::float8 = 2.3 AND NOT dirty") == 1,
            "the second reading refreshed");
        await Task.Delay(1500);
        Assert.Equal(1, await HazardEventsAsync());

        var shelters = await SheltersAsync();
        var inZone = shelters.Single(s => s.ShelterId == "takahata-shelter-07");
        Assert.False(inZone.Suitability.Suitable);
        Assert.Equal(["not_designated:洪水の指定なし", "in_flood_zone:和田川の浸水想定区域内"], Reasons(inZone));
        Assert.Equal("Inside the Wada River inundation zone", inZone.Suitability.Reasons[1].En);
        var outside = shelters.Single(s => s.ShelterId == "takahata-shelter-01");
        Assert.True(outside.Suitability.Suitable);
        Assert.Empty(Reasons(outside));

        var hazards = (await _app.Client().GetFromJsonAsync<JsonArray>("/api/hazards"))!;
        var flood = hazards.Single(h => h!["hazard"]!.GetValue<string>() == "flood")!;
        Assert.True(flood["active"]!.GetValue<bool>());
        Assert.Equal("station-wada-natsumo", flood["sources"]![0]!["stationId"]!.GetValue<string>());
        Assert.Equal("和田川", flood["sources"]![0]!["river"]!.GetValue<string>());
        Assert.False(hazards.Single(h => h!["hazard"]!.GetValue<string>() == "landslide")!["active"]!.GetValue<bool>());

        await staffHub.WaitUntilAsync(c => c.Events.OfType<HazardsChanged>().Any(), "hazards_changed on the staff hub");
        await resident.WaitUntilAsync(c => c.Events.OfType<HazardsChanged>().Any(), "hazards_changed on the public hub");
        var announced = resident.Events.OfType<HazardsChanged>().Single();
        Assert.False(announced.Shelters.Single(s => s.ShelterId == "takahata-shelter-07").Suitability.Suitable);
        Assert.All(announced.Shelters, s => Assert.Null(s.Contact));
    }

    [Fact]
    public async Task HQs_landslide_declaration_flags_shelters_in_landslide_zones_and_needs_a_reason()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        using var shelterStaff = await _app.SignedInClientAsync("shelter");
        var noReason = await hq.PutAsJsonAsync("/api/hazards/landslide", new { active = true });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.NotNull((await noReason.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["reason"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await shelterStaff.PutAsJsonAsync("/api/hazards/landslide", new { active = true, reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hq.PutAsJsonAsync("/api/hazards/volcano", new { active = true, reason = "x" })).StatusCode);
        Assert.Equal(0, await HazardEventsAsync());
        // takahata-shelter-08 is designated for floods and earthquakes only from now on.
        Assert.Equal(HttpStatusCode.OK, (await hq.PatchAsJsonAsync("/api/shelters/takahata-shelter-08", new { hazards = new[] { "flood", "earthquake" } })).StatusCode);

        var declared = await hq.PutAsJsonAsync("/api/hazards/landslide", new { active = true, reason = "土砂災害警戒情報 発表（置賜地方）" });
        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        Assert.Equal(1, await HazardEventsAsync());
        Assert.Equal(1, await _app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'hazard.declare'"));

        // Which shelters a landslide zone contains, by PostGIS on the shipped zones, independently of the server's query.
        var inLandslideZone = await _app.Database.ScalarAsync<string>(
            "SELECT coalesce(string_agg(s.id, ',' ORDER BY s.id), '') FROM shelters s WHERE EXISTS (SELECT 1 FROM hazard_zones z WHERE z.hazard = 'landslide' AND ST_Intersects(z.geom, s.geom))");
        var shelters = await SheltersAsync();
        var undesignated = shelters.Single(s => s.ShelterId == "takahata-shelter-08");
        Assert.False(undesignated.Suitability.Suitable);
        Assert.Equal(["not_designated:土砂災害の指定なし"], Reasons(undesignated));
        foreach (var shelter in shelters.Where(s => s.ShelterId != "takahata-shelter-08"))
        {
            Assert.Equal(inLandslideZone.Split(',').Contains(shelter.ShelterId), Reasons(shelter).Contains("in_landslide_zone:土砂災害警戒区域内"));
            // A place to flee to only says so, and stays suitable.
            Assert.True(shelter.Suitability.Suitable == Reasons(shelter).All(r => r.StartsWith("flee_only:")), shelter.ShelterId);
        }

        var publicHazards = await _app.Client().GetStringAsync("/api/hazards");
        Assert.Contains("土砂災害警戒情報", publicHazards);
        Assert.DoesNotContain("decidedBy", publicHazards);

        // Declaring the same again changes nothing: nothing is logged.
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/hazards/landslide", new { active = true, reason = "土砂災害警戒情報 発表（置賜地方）" })).StatusCode);
        Assert.Equal(1, await HazardEventsAsync());
    }

    [Fact]
    public async Task Several_instances_comparing_at_once_announce_a_change_exactly_once()
    {
        // HQ's declaration written without its announcement, as if an instance died between; eight comparisons race.
        await _app.Database.ScalarAsync<int>(
            "WITH d AS (INSERT INTO hazard_declarations (hazard, active, reason, decided_by, at) VALUES ('flood', true, '本部判断', 'hq', now()) RETURNING 1) SELECT 1 FROM d");
        var monitors = Enumerable.Range(0, 8).Select(_ => _app.Services.GetRequiredService<HazardMonitor>());

        var announced = await Task.WhenAll(monitors.Select(m => Task.Run(() => m.RefreshAsync(CancellationToken.None))));

        Assert.Equal(1, announced.Count(a => a));
        Assert.Equal(1, await HazardEventsAsync());
    }
}
