using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

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
    [InlineData("""{"open": true, "occupancy": 100001}""", "occupancy")]
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
        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/districts/no-such-district/evacuation-level", new { level = 4, decidedBy = "本部長", reason = "千曲川の水位上昇" }),
            HttpStatusCode.NotFound, before);
    }

    [Fact]
    public async Task Only_HQ_records_an_evacuation_level_and_only_levels_the_town_issues()
    {
        using var hq = await app.SignedInClientAsync("hq");
        using var field = await app.SignedInClientAsync("field");
        var before = await CountsAsync();

        await AssertRefusedAsync(await field.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 4, decidedBy = "本部長", reason = "千曲川の水位上昇" }),
            HttpStatusCode.Forbidden, before);
        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 2, decidedBy = "本部長", reason = "千曲川の水位上昇" }),
            HttpStatusCode.BadRequest, before, "level");
        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 3, reason = "水位上昇" }),
            HttpStatusCode.BadRequest, before, "decidedBy");

        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 3, decidedBy = "本部長", reason = "千曲川の水位上昇" })).StatusCode);
        var lifted = await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 0, decidedBy = "本部長", reason = "千曲川の水位上昇" });
        Assert.Equal(0, (await lifted.Content.ReadFromJsonAsync<JsonObject>())!["level"]!.GetValue<int>());
        Assert.Equal((before.Events + 2, before.Audits + 2), await CountsAsync());
        Assert.Equal(3, await app.Database.ScalarAsync<int>(
            "SELECT (payload->>'previousLevel')::int FROM situation_events WHERE kind = 'district_evacuation_level_changed' ORDER BY seq DESC LIMIT 1"));
    }

    [Fact]
    public async Task Field_crews_post_reports_inside_the_town_and_HQ_verifies_them_each_change_with_one_event_and_one_audit_record()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var before = await CountsAsync();

        var tokyo = FieldReportForm.Report();
        tokyo["longitude"] = 139.767;
        tokyo["latitude"] = 35.681;
        await AssertRefusedAsync(await field.PostReportAsync(tokyo), HttpStatusCode.BadRequest, before, "location");
        await AssertRefusedAsync(await field.PostReportAsync(FieldReportForm.Report(category: "tsunami")), HttpStatusCode.BadRequest, before, "category");
        await AssertRefusedAsync(await field.PostReportAsync(FieldReportForm.Report(description: new string('水', 2_001))), HttpStatusCode.BadRequest, before,
            "description");

        var created = await field.PostReportAsync(FieldReportForm.Report(category: "road_blocked", description: "県道で倒木"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var report = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("new", report["status"]!.GetValue<string>());
        var id = report["reportId"]!.GetValue<long>();

        await AssertRefusedAsync(await field.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "verified" }), HttpStatusCode.Forbidden,
            (before.Events + 1, before.Audits + 1));
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "verified" })).StatusCode);
        var triaged = await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "in_progress", comment = "消防団が向かう" });
        Assert.Equal(HttpStatusCode.OK, triaged.StatusCode);
        Assert.Equal("in_progress", (await triaged.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal((before.Events + 3, before.Audits + 3), await CountsAsync());
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

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData(501)]
    public async Task An_evacuation_level_without_a_reason_or_with_a_too_long_one_is_refused_naming_reason(object? reason)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var before = await CountsAsync();
        var text = reason is int length ? new string('理', length) : (string?)reason;

        await AssertRefusedAsync(await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level", new { level = 4, decidedBy = "本部長", reason = text }),
            HttpStatusCode.BadRequest, before, "reason");
    }

    [Fact]
    public async Task The_reason_for_an_evacuation_level_is_kept_and_shown_to_staff_with_who_and_to_residents_without()
    {
        using var hq = await app.SignedInClientAsync("hq");
        const string reason = "千曲川 屋代観測所で氾濫危険水位を超過";

        var issued = await hq.PutAsJsonAsync("/api/districts/district-niijuku/evacuation-level", new { level = 4, decidedBy = "本部長（町長）", reason = " " + reason + " " });

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(reason, (await issued.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>());
        Assert.Equal(reason, await app.Database.ScalarAsync<string>(
            "SELECT payload->'district'->>'reason' FROM situation_events WHERE kind = 'district_evacuation_level_changed' ORDER BY seq DESC LIMIT 1"));
        var snapshots = app.Services.GetRequiredService<SituationSnapshots>();
        var staff = (await snapshots.LoadAsync(Audience.Staff, CancellationToken.None)).Districts.Single(d => d.DistrictId == "district-niijuku");
        Assert.Equal((4, reason, "本部長（町長）", "hq"), (staff.Level, staff.Reason, staff.DecidedBy, staff.EnteredBy));
        Assert.NotNull(staff.IssuedAt);
        var residents = (await snapshots.LoadAsync(Audience.Public, CancellationToken.None)).Districts.Single(d => d.DistrictId == "district-niijuku");
        Assert.Equal((4, reason, null, null), (residents.Level, residents.Reason, residents.DecidedBy, residents.EnteredBy));
    }

    [Fact]
    public async Task Acknowledging_and_clearing_an_alert_record_who_and_when_in_the_alert_and_its_events()
    {
        using var hq = await app.SignedInClientAsync("hq");
        var raised = await hq.PostAsJsonAsync("/api/alerts", new { kind = "manual", message = "土砂崩れの通報多数" });
        var id = (await raised.Content.ReadFromJsonAsync<JsonObject>())!["alertId"]!.GetValue<long>();

        var acknowledged = (await (await hq.PostAsync($"/api/alerts/{id}/acknowledge", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("hq", acknowledged["acknowledgedBy"]!.GetValue<string>());
        var acknowledgedAt = acknowledged["acknowledgedAt"]!.GetValue<DateTimeOffset>();
        Assert.Null(acknowledged["clearedAt"]);
        var active = (await app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None)).Alerts.Single(a => a.AlertId == id);
        Assert.Equal(acknowledgedAt, active.AcknowledgedAt);

        var cleared = (await (await hq.PostAsJsonAsync($"/api/alerts/{id}/clear", new { note = "現地確認済み" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("hq", "現地確認済み"), (cleared["clearedBy"]!.GetValue<string>(), cleared["note"]!.GetValue<string>()));
        var clearedAt = cleared["clearedAt"]!.GetValue<DateTimeOffset>();
        Assert.True(clearedAt >= acknowledgedAt);

        var events = await SituationEventLog.ReadAfterAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), 0, 10_000, CancellationToken.None);
        Assert.Equal(acknowledgedAt, events.OfType<AlertAcknowledged>().Single(e => e.AlertId == id).AcknowledgedAt);
        Assert.Equal(clearedAt, events.OfType<AlertCleared>().Single(e => e.AlertId == id).ClearedAt);
    }

    [Fact]
    public async Task Adding_a_gauge_and_changing_its_thresholds_each_write_one_situation_event_and_one_audit_record()
    {
        using var admin = await app.SignedInClientAsync("admin");
        var before = await CountsAsync();

        var added = await admin.PostAsJsonAsync("/api/admin/stations", new
        {
            stationId = "station-test-event", nameJa = "試験", kind = "water_level", longitude = 140.2, latitude = 38.0,
            thresholds = new Dictionary<string, double> { ["standby"] = 1.0, ["caution"] = 1.5, ["evacuation"] = 2.5, ["danger"] = 3.0 },
        });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal((before.Events + 1, before.Audits + 1), await CountsAsync());
        Assert.Equal("admin", await app.Database.ScalarAsync<string>(
            "SELECT payload->>'addedBy' FROM situation_events WHERE kind = 'station_added' AND payload->'station'->>'stationId' = 'station-test-event'"));

        await AssertRefusedAsync(await admin.PostAsJsonAsync("/api/admin/stations", new
        {
            stationId = "station-test-event", nameJa = "試験", kind = "water_level", longitude = 140.2, latitude = 38.0,
        }), HttpStatusCode.Conflict, (before.Events + 1, before.Audits + 1));

        var changed = await admin.PutAsJsonAsync("/api/admin/stations/station-test-event/thresholds",
            new Dictionary<string, double> { ["standby"] = 0.8, ["caution"] = 1.2, ["evacuation"] = 1.6, ["danger"] = 1.9 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal((before.Events + 2, before.Audits + 2), await CountsAsync());
        var events = await SituationEventLog.ReadAfterAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), 0, 10_000, CancellationToken.None);
        var thresholds = events.OfType<StationThresholdsChanged>().Single(e => e.StationId == "station-test-event");
        Assert.Equal((1.9, 3.0, "admin"), (thresholds.Thresholds["danger"], thresholds.PreviousThresholds["danger"], thresholds.ChangedBy));
        Assert.Null(((StationThresholdsChanged)thresholds.ForPublic()).ChangedBy);
    }
}
