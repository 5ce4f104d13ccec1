using System.Net;
using System.Net.Http.Json;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bousai.Server.Tests.Live;

public sealed class KestrelApp : IAsyncLifetime
{
    public BousaiApp App { get; } = BousaiApp.OnKestrel();

    public NpgsqlDataSource Db => App.Services.GetRequiredService<NpgsqlDataSource>();

    public Task InitializeAsync() => ((IAsyncLifetime)App).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>The hubs on a real loopback port, with real SignalR clients.</summary>
public sealed class SituationHubTests(KestrelApp fixture) : IClassFixture<KestrelApp>
{
    private BousaiApp App => fixture.App;

    [Fact]
    public async Task Anonymous_client_cannot_join_the_staff_hub()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => LiveClient.ConnectAsync(App.BaseAddress, "/hubs/situation"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        var negotiate = await http.PostAsync("/hubs/situation/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        Assert.Equal("application/problem+json", negotiate.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Staff_client_gets_a_snapshot_then_each_change_committed_through_the_api()
    {
        await using var staff = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/situation", await App.SignedInCookiesAsync("hq"))).Follow();
        await staff.WaitUntilAsync(c => c.Snapshot is not null, "the snapshot");
        Assert.Equal(24, staff.Snapshot!.Shelters.Count);
        Assert.Contains(staff.Snapshot.Districts, d => d.DistrictId.Length > 0);

        using var hq = await App.SignedInClientAsync("hq");
        var response = await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-05/status", new { open = true, occupancy = 42, note = "北側入口のみ" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await staff.WaitUntilAsync(c => c.Events.OfType<ShelterStatusChanged>().Any(e => e.Shelter.ShelterId == "takahata-shelter-05"), "the shelter change");
        var change = staff.Events.OfType<ShelterStatusChanged>().Single(e => e.Shelter.ShelterId == "takahata-shelter-05");
        Assert.True(change.Shelter.Open);
        Assert.Equal(42, change.Shelter.Occupancy);
        Assert.Equal("北側入口のみ", change.Shelter.Note);
        Assert.Equal("hq", change.Shelter.UpdatedBy);
        Assert.Empty(staff.Violations);
    }

    [Fact]
    public async Task Public_hub_carries_only_public_safe_projections()
    {
        await using var staff = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/situation", await App.SignedInCookiesAsync("hq"))).Follow();
        await using var resident = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await staff.WaitUntilAsync(c => c.Snapshot is not null, "the staff snapshot");
        await resident.WaitUntilAsync(c => c.Snapshot is not null, "the public snapshot");
        var start = staff.LastThrough!.Value;

        using var hq = await App.SignedInClientAsync("hq");
        using var field = await App.SignedInClientAsync("field");
        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", level = 3, message = "屋代川 中橋 上昇中" })).StatusCode);
        var submitted = await field.PostReportAsync(FieldReportForm.Report(description: "田中さん宅の前が冠水 090-0000-0000"));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var reportId = (await submitted.Content.ReadFromJsonAsync<Bousai.Server.Reports.FieldReport>(BousaiJson.Options))!.ReportId;
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-07/status",
            new { open = true, occupancy = 10, note = "要配慮者2名" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PatchAsJsonAsync($"/api/reports/{reportId}", new { internalNote = "消防に連絡済" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/reports/{reportId}/status", new { status = "verified", comment = "佐藤班が確認" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/reports/{reportId}/status", new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-wada/evacuation-level",
            new { level = 4, decidedBy = "本部長（町長）", reason = "和田川 氾濫危険水位に到達" })).StatusCode);

        await staff.WaitUntilAsync(c => c.LastThrough >= start + 7, "seven staff events");
        await resident.WaitUntilAsync(c => c.LastThrough >= start + 7, "the public position to reach the seventh event");

        var seen = resident.Events.Where(e => e.Seq > start).ToList();
        Assert.Equal(["shelter_status_changed", "field_report_updated", "field_report_withdrawn", "district_evacuation_level_changed"],
            seen.Select(KindOf));
        var shelter = Assert.IsType<ShelterStatusChanged>(seen[0]).Shelter;
        Assert.Null(shelter.Note);
        Assert.Null(shelter.UpdatedBy);
        var verified = Assert.IsType<FieldReportUpdated>(seen[1]);
        Assert.Null(verified.Report.Description);
        Assert.Null(verified.Report.ReportedBy);
        Assert.Null(verified.Report.InternalNote);
        Assert.Null(verified.UpdatedBy);
        Assert.Null(verified.Comment);
        Assert.Null(verified.Report.ReportedByName);
        Assert.Null(verified.Report.ClientId);
        Assert.Equal(reportId, Assert.IsType<FieldReportWithdrawn>(seen[2]).ReportId);
        var district = Assert.IsType<DistrictEvacuationLevelChanged>(seen[3]).District;
        Assert.Equal(4, district.Level);
        Assert.Null(district.DecidedBy);
        Assert.Null(district.EnteredBy);

        Assert.Equal(7, staff.Events.Count(e => e.Seq > start));
        Assert.Contains(staff.Events, e => e is AlertRaised);
        Assert.Empty(staff.Violations);
        Assert.Empty(resident.Violations);

        // A resident joining now starts from a snapshot with the same public-safe view.
        await using var late = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await late.WaitUntilAsync(c => c.Snapshot is not null, "a late resident's snapshot");
        Assert.Empty(late.Snapshot!.Alerts);
        Assert.Empty(late.Snapshot.Recent);
        Assert.DoesNotContain(late.Snapshot.Reports, r => r.ReportId == reportId);
        Assert.All(late.Snapshot.Shelters, s => Assert.Null(s.Note));
        Assert.Equal(4, late.Snapshot.Districts.Single(d => d.DistrictId == "district-wada").Level);
    }

    [Fact]
    public async Task Burst_of_10000_events_reaches_every_client_in_order_without_gaps_or_duplicates()
    {
        await using var staff = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/situation", await App.SignedInCookiesAsync("hq"))).Follow();
        await using var resident = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await staff.WaitUntilAsync(c => c.Snapshot is not null, "the staff snapshot");
        await resident.WaitUntilAsync(c => c.Snapshot is not null, "the public snapshot");
        var start = Math.Min(staff.LastThrough!.Value, resident.LastThrough!.Value);

        await SituationWriter.BurstAsync(fixture.Db, writers: 8, perWriter: 1_250);
        var end = await fixture.App.Database.ScalarAsync<long>("SELECT last_seq FROM situation_event_sequence");
        Assert.True(end - start >= 10_000);

        foreach (var client in new[] { staff, resident })
        {
            await client.WaitUntilAsync(c => c.LastThrough >= end, "the end of the burst", timeoutSeconds: 120);
            Assert.Empty(client.Violations);
            var seqs = client.Events.Select(e => e.Seq).Where(s => s > start && s <= end).ToList();
            Assert.Equal(Enumerable.Range(0, (int)(end - start)).Select(i => start + 1 + i), seqs);
        }
    }

    [Fact]
    public async Task Client_whose_connection_is_cut_catches_up_from_its_position_while_events_keep_coming()
    {
        await using var proxy = new LoopbackProxy(App.BaseAddress);
        await using var staff = (await LiveClient.ConnectAsync(proxy.Address, "/hubs/situation", await App.SignedInCookiesAsync("hq"))).Follow();
        await staff.WaitUntilAsync(c => c.Snapshot is not null, "the snapshot");
        var start = staff.LastThrough!.Value;

        var writing = SituationWriter.BurstAsync(fixture.Db, writers: 2, perWriter: 1_000, pause: TimeSpan.FromMilliseconds(2));
        for (var cut = 0; cut < 3; cut++)
        {
            var before = staff.Resumes;
            await Task.Delay(400);
            proxy.CutAll();
            await staff.WaitUntilAsync(c => c.Resumes > before, "the client to notice the cut");
        }

        await writing;
        var end = await fixture.App.Database.ScalarAsync<long>("SELECT last_seq FROM situation_event_sequence");
        await staff.WaitUntilAsync(c => c.LastThrough >= end, "the client to catch up", timeoutSeconds: 120);

        Assert.True(staff.Resumes >= 3);
        Assert.Equal(1, staff.Snapshots);
        Assert.Empty(staff.Resyncs);
        Assert.Empty(staff.Violations);
        var seqs = staff.Events.Select(e => e.Seq).Where(s => s > start && s <= end).ToList();
        Assert.Equal(Enumerable.Range(0, (int)(end - start)).Select(i => start + 1 + i), seqs);
    }

    [Fact]
    public async Task Gauge_readings_are_coalesced_per_station_and_the_latest_value_wins()
    {
        await using var resident = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await resident.WaitUntilAsync(c => c.Snapshot is not null, "the snapshot");

        var observed = DateTimeOffset.UtcNow;
        long last = 0;
        for (var i = 1; i <= 300; i++)
        {
            last = await SituationWriter.AppendAsync(fixture.Db, new StationStateChanged(new Bousai.Server.Sensors.StationState(
                "station-nakahashi", "water_level", i / 100.0, observed.AddSeconds(i), observed.AddSeconds(i), null)) { At = DateTimeOffset.UtcNow });
        }

        await resident.WaitUntilAsync(c => c.LastThrough >= last, "the last reading");
        var readings = resident.Events.OfType<StationStateChanged>().Where(e => e.State.StationId == "station-nakahashi").ToList();
        Assert.InRange(readings.Count, 1, 100);
        Assert.Equal(3.00, readings[^1].State.Value);
        Assert.Empty(resident.Violations);
    }

    [Fact]
    public async Task Staff_snapshot_lists_recent_decisions_but_not_the_gauge_states_between_them()
    {
        var decision = await SituationWriter.AppendAsync(fixture.Db, SituationWriter.ShelterEvent(4242));
        for (var i = 0; i < 60; i++)
        {
            await SituationWriter.AppendAsync(fixture.Db, new StationStateChanged(new Bousai.Server.Sensors.StationState(
                "station-nukanome", "water_level", 5 + i / 100.0, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null)) { At = DateTimeOffset.UtcNow });
        }

        await using var staff = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/situation", await App.SignedInCookiesAsync("hq"))).Follow();
        await staff.WaitUntilAsync(c => c.Snapshot is not null, "the snapshot");

        Assert.Contains(staff.Snapshot!.Recent, e => e.Seq == decision);
        Assert.DoesNotContain(staff.Snapshot.Recent, e => e is StationStateChanged);
        Assert.Equal(staff.Snapshot.Recent.Select(e => e.Seq).Order(), staff.Snapshot.Recent.Select(e => e.Seq));
    }

    private static string KindOf(SituationEvent change) =>
        System.Text.Json.JsonSerializer.SerializeToElement(change, BousaiJson.Options).GetProperty("kind").GetString()!;
}
