using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Drills;

/// <summary>HQ starts and ends a drill; one at a time; residents see that a drill is on, not who started it.</summary>
public sealed class DrillTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private Task<long> EventCountAsync() => app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events");

    private async Task EndAnyDrillAsync()
    {
        using var hq = await app.SignedInClientAsync("hq");
        await hq.PostAsync("/api/drills/current/end", null);
    }

    [Fact]
    public async Task A_drill_starts_once_shows_in_both_snapshots_and_ends_once()
    {
        await EndAnyDrillAsync();
        using var hq = await app.SignedInClientAsync("hq");
        var snapshots = app.Services.GetRequiredService<SituationSnapshots>();

        var started = await hq.PostAsJsonAsync("/api/drills", new { name = "  総合防災訓練  " });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var drill = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("総合防災訓練", drill["name"]!.GetValue<string>());
        Assert.Equal("hq", drill["startedBy"]!.GetValue<string>());

        var again = await hq.PostAsJsonAsync("/api/drills", new { name = "二つ目" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);

        var staff = await snapshots.LoadAsync(Audience.Staff, CancellationToken.None);
        var residents = await snapshots.LoadAsync(Audience.Public, CancellationToken.None);
        Assert.Equal("hq", staff.Drill?.StartedBy);
        Assert.Equal("総合防災訓練", residents.Drill?.Name);
        Assert.Null(residents.Drill!.StartedBy);

        var ended = await hq.PostAsync("/api/drills/current/end", null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.NotNull((await ended.Content.ReadFromJsonAsync<JsonObject>())!["endedAt"]);
        Assert.Null((await snapshots.LoadAsync(Audience.Staff, CancellationToken.None)).Drill);
        Assert.Equal(HttpStatusCode.NotFound, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);

        var audit = await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE entity = 'drill' AND entity_id = '{drill["drillId"]!.GetValue<long>()}'");
        Assert.Equal(2, audit);
    }

    [Theory]
    [InlineData("""{"name": ""}""")]
    [InlineData("""{"name": "   "}""")]
    [InlineData("""{}""")]
    public async Task A_drill_needs_a_name(string body)
    {
        await EndAnyDrillAsync();
        using var hq = await app.SignedInClientAsync("hq");
        var events = await EventCountAsync();

        var response = await hq.PostAsync("/api/drills", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["name"]);
        Assert.Equal(events, await EventCountAsync());
    }

    [Theory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("field", HttpStatusCode.Forbidden)]
    [InlineData("shelter", HttpStatusCode.Forbidden)]
    public async Task Only_HQ_starts_or_ends_a_drill(string role, HttpStatusCode expected)
    {
        await EndAnyDrillAsync();
        using var client = role == "anonymous" ? app.Client() : await app.SignedInClientAsync(role);
        var events = await EventCountAsync();

        Assert.Equal(expected, (await client.PostAsJsonAsync("/api/drills", new { name = "訓練" })).StatusCode);
        Assert.Equal(expected, (await client.PostAsync("/api/drills/current/end", null)).StatusCode);
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public async Task A_report_sent_during_a_drill_is_marked_and_leaves_the_live_picture_when_the_drill_ends_and_a_real_one_stays()
    {
        await EndAnyDrillAsync();
        using var hq = await app.SignedInClientAsync("hq");
        using var crew = await app.SignedInClientAsync("field");
        var snapshots = app.Services.GetRequiredService<SituationSnapshots>();

        var real = await ReportIdAsync(await crew.PostReportAsync(FieldReportForm.Report(description: "本当の冠水")));
        var started = (await (await hq.PostAsJsonAsync("/api/drills", new { name = "図上訓練" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var drillReport = await ReportIdAsync(await crew.PostReportAsync(FieldReportForm.Report(description: "訓練の冠水")));

        var during = await snapshots.LoadAsync(Audience.Staff, CancellationToken.None);
        Assert.Null(during.Reports.Single(r => r.ReportId == real).DrillId);
        Assert.Equal(started["drillId"]!.GetValue<long>(), during.Reports.Single(r => r.ReportId == drillReport).DrillId);

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);

        var after = await snapshots.LoadAsync(Audience.Staff, CancellationToken.None);
        Assert.Contains(after.Reports, r => r.ReportId == real);
        Assert.DoesNotContain(after.Reports, r => r.ReportId == drillReport);
        Assert.Equal(1, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM field_reports WHERE id = {drillReport} AND drill_id IS NOT NULL"));
    }

    private static async Task<long> ReportIdAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reportId"]!.GetValue<long>();
    }
}
