using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Live;

/// <summary>
/// The endpoints that change the situation: who may do what, clear errors for bad input, and every accepted change
/// written with exactly one situation event and one audit record; a refused change writes neither.
/// </summary>
public sealed class SituationChangeTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private Task<long> EventCountAsync() => app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events");

    private async Task<(long Events, long Audits)> CountsAsync() =>
        (await EventCountAsync(), await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action NOT LIKE 'login%'"));

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, (long, long) before, string? errorField = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (errorField is not null)
        {
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.NotNull(problem["errors"]![errorField]);
        }

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Shelter_staff_update_their_own_shelter_only_and_field_crews_not_at_all()
    {
        using var shelterStaff = await app.SignedInClientAsync("shelter");
        using var field = await app.SignedInClientAsync("field");
        var before = await CountsAsync();

        await AssertRefusedAsync(await shelterStaff.PutAsJsonAsync("/api/shelters/takahata-shelter-01/status", new { open = true, occupancy = 1 }),
            HttpStatusCode.Forbidden, before);
        await AssertRefusedAsync(await field.PutAsJsonAsync("/api/shelters/takahata-shelter-09/status", new { open = true, occupancy = 1 }),
            HttpStatusCode.Forbidden, before);
        await AssertRefusedAsync(await app.Client().PutAsJsonAsync("/api/shelters/takahata-shelter-09/status", new { open = true, occupancy = 1 }),
            HttpStatusCode.Unauthorized, before);

        var response = await shelterStaff.PutAsJsonAsync("/api/shelters/takahata-shelter-09/status", new { open = true, occupancy = 100, declaredFull = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("full", state["crowding"]!.GetValue<string>());
        Assert.Equal("shelter", state["updatedBy"]!.GetValue<string>());
        Assert.Equal((before.Events + 1, before.Audits + 1), await CountsAsync());
    }

    [Theory]
    [InlineData("""{"occupancy": 3}""", "open")]
    [InlineData("""{"open": true, "occupancy": -1}""", "occupancy")]
    [InlineData("""{"open": true}""", "occupancy")]
    public async Task Bad_shelter_status_is_refused_with_the_field_named(string body, string field)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var before = await CountsAsync();

        var response = await hq.PutAsync("/api/shelters/takahata-shelter-02/status", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, before, field);
    }

    [Fact]
    public async Task Unknown_shelter_or_district_is_not_found_and_logs_nothing()
    {
        using var hq = await app.SignedInClientAsync("hq");
        var before = await CountsAsync();

        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/shelters/no-such-shelter/status", new { open = true, occupancy = 1 }), HttpStatusCode.NotFound, before);
        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/districts/no-such-district/evacuation-level", new { level = 4, decidedBy = "本部長" }),
            HttpStatusCode.NotFound, before);
    }

    [Fact]
    public async Task Only_HQ_records_an_evacuation_level_and_only_levels_the_town_issues()
    {
        using var hq = await app.SignedInClientAsync("hq");
        using var field = await app.SignedInClientAsync("field");
        var before = await CountsAsync();

        await AssertRefusedAsync(await field.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 4, decidedBy = "本部長" }),
            HttpStatusCode.Forbidden, before);
        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 2, decidedBy = "本部長" }),
            HttpStatusCode.BadRequest, before, "level");
        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 3 }),
            HttpStatusCode.BadRequest, before, "decidedBy");

        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 3, decidedBy = "本部長" })).StatusCode);
        var lifted = await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 0, decidedBy = "本部長" });
        Assert.Equal(0, (await lifted.Content.ReadFromJsonAsync<JsonObject>())!["level"]!.GetValue<int>());
        Assert.Equal((before.Events + 2, before.Audits + 2), await CountsAsync());
        Assert.Equal(3, await app.Database.ScalarAsync<int>(
            "SELECT (payload->>'previousLevel')::int FROM situation_events WHERE kind = 'district_evacuation_level_changed' ORDER BY seq DESC LIMIT 1"));
    }

    [Fact]
    public async Task Field_crews_post_reports_inside_the_town_and_HQ_verifies_them()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var before = await CountsAsync();

        await AssertRefusedAsync(await field.PostAsJsonAsync("/api/reports", new { category = "flooding", description = "東京駅前", longitude = 139.767, latitude = 35.681 }),
            HttpStatusCode.BadRequest, before, "location");
        await AssertRefusedAsync(await field.PostAsJsonAsync("/api/reports", new { category = "tsunami", description = "x", longitude = 140.19, latitude = 38.0 }),
            HttpStatusCode.BadRequest, before, "category");
        await AssertRefusedAsync(await field.PostAsJsonAsync("/api/reports", new { category = "flooding", description = " ", longitude = 140.19, latitude = 38.0 }),
            HttpStatusCode.BadRequest, before, "description");

        var created = await field.PostAsJsonAsync("/api/reports", new { category = "road_blocked", description = "県道で倒木", longitude = 140.20, latitude = 38.01 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var report = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(report["verified"]!.GetValue<bool>());
        var id = report["reportId"]!.GetValue<long>();

        await AssertRefusedAsync(await field.PatchAsJsonAsync($"/api/reports/{id}", new { verified = true }), HttpStatusCode.Forbidden, (before.Events + 1, before.Audits + 1));
        var triaged = await hq.PatchAsJsonAsync($"/api/reports/{id}", new { verified = true, status = "in_progress" });
        Assert.Equal(HttpStatusCode.OK, triaged.StatusCode);
        Assert.Equal("in_progress", (await triaged.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal((before.Events + 2, before.Audits + 2), await CountsAsync());
    }

    [Fact]
    public async Task Alert_is_raised_acknowledged_once_and_cleared_once()
    {
        using var hq = await app.SignedInClientAsync("hq");
        var before = await CountsAsync();

        await AssertRefusedAsync(await hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", districtId = "district-nowhere", message = "x" }),
            HttpStatusCode.BadRequest, before, "districtId");
        var raised = await hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", level = 4, districtId = "district-yashiro", message = "中橋 氾濫危険水位" });
        Assert.Equal(HttpStatusCode.Created, raised.StatusCode);
        var id = (await raised.Content.ReadFromJsonAsync<JsonObject>())!["alertId"]!.GetValue<long>();

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/alerts/{id}/acknowledge", null)).StatusCode);
        await AssertRefusedAsync(await hq.PostAsync($"/api/alerts/{id}/acknowledge", null), HttpStatusCode.Conflict, (before.Events + 2, before.Audits + 2));
        var cleared = await hq.PostAsJsonAsync($"/api/alerts/{id}/clear", new { note = "水位低下" });
        Assert.Equal("cleared", (await cleared.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        await AssertRefusedAsync(await hq.PostAsync($"/api/alerts/{id}/clear", null), HttpStatusCode.Conflict, (before.Events + 3, before.Audits + 3));
        await AssertRefusedAsync(await hq.PostAsync("/api/alerts/999999/clear", null), HttpStatusCode.NotFound, (before.Events + 3, before.Audits + 3));
    }
}
