using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Accounts;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Reports;

/// <summary>HQ's triage: the workflow, rejection with a reason, duplicate merge, assignment, notes, public photos, history.</summary>
public sealed class FieldReportTriageTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private async Task<long> SubmitAsync(HttpClient client, string category = "flooding", int photos = 0)
    {
        var response = await client.PostReportAsync(FieldReportForm.Report(category),
            [.. Enumerable.Range(0, photos).Select(i => new PhotoPart(FieldReportForm.Jpeg(400 + i, 300)))]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reportId"]!.GetValue<long>();
    }

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null) Assert.True(JsonNode.Parse(body)!["errors"]?[field] is not null, $"The problem does not name {field}: {body}");
    }

    private async Task<(long Events, long Audits)> ChangesAsync() => (
        await app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events"),
        await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE entity = 'field_report'"));

    private async Task AddFieldCrewAsync(string userName, bool disabled = false)
    {
        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        await accounts.SaveAsync(new NewStaffAccount(userName, $"{userName} 班", "field", BousaiApp.Password, []), "test", replaceExisting: true,
            CancellationToken.None);
        if (disabled) await accounts.SetDisabledAsync(userName, true, "test", CancellationToken.None);
    }

    [Fact]
    public async Task HQ_moves_a_report_through_the_workflow_each_move_with_its_comment_in_the_history()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var id = await SubmitAsync(field, "road_blocked");

        foreach (var (status, comment) in new[]
                 {
                     ("verified", "写真で確認"), ("in_progress", "建設課が向かう"), ("resolved", "倒木撤去、通行可"), ("in_progress", "再び通行止め"),
                     ("verified", "作業を中断"), ("new", "確認し直す"),
                 })
        {
            var moved = await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status, comment }));
            Assert.Equal(status, moved["status"]!.GetValue<string>());
        }

        var history = (await field.GetFromJsonAsync<JsonArray>($"/api/reports/{id}/history"))!;
        Assert.Equal(["submit", "status", "status", "status", "status", "status", "status"], history.Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("field", history[0]!["actor"]!.GetValue<string>());
        Assert.Equal("new", history[0]!["after"]!["status"]!.GetValue<string>());
        var reopened = history[4]!;
        Assert.Equal("hq", reopened["actor"]!.GetValue<string>());
        Assert.Equal("resolved", reopened["before"]!["status"]!.GetValue<string>());
        Assert.Equal("in_progress", reopened["after"]!["status"]!.GetValue<string>());
        Assert.Equal("再び通行止め", reopened["comment"]!.GetValue<string>());
        var times = history.Select(h => h!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Theory]
    [InlineData("new", "in_progress")]
    [InlineData("new", "resolved")]
    [InlineData("new", "new")]
    [InlineData("verified", "verified")]
    [InlineData("resolved", "verified")]
    [InlineData("resolved", "rejected")]
    [InlineData("rejected", "verified")]
    [InlineData("rejected", "resolved")]
    public async Task A_move_the_workflow_does_not_allow_is_a_409_and_changes_nothing(string from, string to)
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var id = await SubmitAsync(field);
        var path = from switch
        {
            "verified" => new[] { "verified" },
            "resolved" => ["verified", "resolved"],
            "rejected" => ["rejected"],
            _ => [],
        };
        foreach (var step in path) await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = step, reason = "確認できず" }));
        var before = await ChangesAsync();

        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = to, reason = "理由" }), HttpStatusCode.Conflict);

        Assert.Equal(before, await ChangesAsync());
        Assert.Equal(from, (await hq.GetFromJsonAsync<JsonObject>($"/api/reports/{id}"))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_the_crew_sees_and_reopening_clears_it()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var id = await SubmitAsync(field);
        var before = await ChangesAsync();

        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "rejected" }), HttpStatusCode.BadRequest, "reason");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "rejected", reason = "   " }), HttpStatusCode.BadRequest,
            "reason");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "rejected", reason = new string('x', 1_001) }),
            HttpStatusCode.BadRequest, "reason");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "duplicate" }), HttpStatusCode.BadRequest, "status");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "closed" }), HttpStatusCode.BadRequest, "status");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "verified", comment = new string('x', 1_001) }),
            HttpStatusCode.BadRequest, "comment");
        await AssertRefusedAsync(await hq.PostAsJsonAsync("/api/reports/999999/status", new { status = "verified" }), HttpStatusCode.NotFound);
        Assert.Equal(before, await ChangesAsync());

        var rejected = await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "rejected", reason = "場所が町外の別の川" }));
        Assert.Equal("場所が町外の別の川", rejected["rejectionReason"]!.GetValue<string>());
        var mine = (await field.GetFromJsonAsync<JsonArray>("/api/reports/mine"))!;
        Assert.Equal("場所が町外の別の川", mine.Single(r => r!["reportId"]!.GetValue<long>() == id)!["rejectionReason"]!.GetValue<string>());

        var reopened = await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "new", comment = "別の班が同じ場所を確認" }));
        Assert.Equal("new", reopened["status"]!.GetValue<string>());
        Assert.Null(reopened["rejectionReason"]);
    }

    [Fact]
    public async Task Marking_a_duplicate_merges_its_photos_into_the_target_and_both_histories_record_it()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var target = await SubmitAsync(field, photos: 2);
        var duplicate = await SubmitAsync(field, photos: 2);
        await OkAsync(await hq.PutAsJsonAsync($"/api/reports/{duplicate}/photos/1/public", new { @public = true }));

        var merged = await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{duplicate}/duplicate", new { duplicateOf = target, comment = "同じ交差点" }));

        Assert.Equal("duplicate", merged["status"]!.GetValue<string>());
        Assert.Equal(target, merged["duplicateOf"]!.GetValue<long>());
        Assert.Empty(merged["photos"]!.AsArray());
        var after = (await hq.GetFromJsonAsync<JsonObject>($"/api/reports/{target}"))!;
        Assert.Equal([1, 2, 3, 4], after["photos"]!.AsArray().Select(p => p!["position"]!.GetValue<int>()));
        // Moved photos are HQ's to make public again on the target.
        Assert.All(after["photos"]!.AsArray(), p => Assert.False(p!["public"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.OK, (await hq.GetAsync($"/api/reports/{target}/photos/4")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hq.GetAsync($"/api/reports/{duplicate}/photos/1")).StatusCode);

        var targetHistory = (await hq.GetFromJsonAsync<JsonArray>($"/api/reports/{target}/history"))!;
        var merge = targetHistory.Single(h => h!["action"]!.GetValue<string>() == "merge")!;
        Assert.Equal(duplicate, merge["after"]!["mergedFrom"]!.GetValue<long>());
        Assert.Equal(2, merge["before"]!["photos"]!.GetValue<int>());
        Assert.Equal(4, merge["after"]!["photos"]!.GetValue<int>());
        Assert.Equal("同じ交差点", merge["comment"]!.GetValue<string>());
        var duplicateHistory = (await hq.GetFromJsonAsync<JsonArray>($"/api/reports/{duplicate}/history"))!;
        var marked = duplicateHistory.Last()!;
        Assert.Equal("duplicate", marked["action"]!.GetValue<string>());
        Assert.Equal(target, marked["after"]!["duplicateOf"]!.GetValue<long>());

        // One event for both: the duplicate, and the target after the merge.
        Assert.Equal(target, await app.Database.ScalarAsync<long>(
            $"SELECT (payload -> 'mergedInto' ->> 'reportId')::bigint FROM situation_events WHERE kind = 'field_report_updated' AND payload -> 'report' ->> 'reportId' = '{duplicate}' AND payload ->> 'action' = 'duplicate'"));

        // A duplicate never moves again.
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{duplicate}/status", new { status = "new" }), HttpStatusCode.Conflict);
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{duplicate}/duplicate", new { duplicateOf = target }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_duplicate_must_point_at_another_existing_report_that_is_not_a_duplicate_itself()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var first = await SubmitAsync(field);
        var second = await SubmitAsync(field);
        var third = await SubmitAsync(field);
        await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{second}/duplicate", new { duplicateOf = first }));
        var resolved = await SubmitAsync(field);
        await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{resolved}/status", new { status = "verified" }));
        await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{resolved}/status", new { status = "resolved" }));
        var before = await ChangesAsync();

        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{third}/duplicate", new { duplicateOf = third }), HttpStatusCode.BadRequest, "duplicateOf");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{third}/duplicate", new { }), HttpStatusCode.BadRequest, "duplicateOf");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{third}/duplicate", new { duplicateOf = 999999 }), HttpStatusCode.BadRequest, "duplicateOf");
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{third}/duplicate", new { duplicateOf = second }), HttpStatusCode.Conflict);
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{resolved}/duplicate", new { duplicateOf = first }), HttpStatusCode.Conflict);
        await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/999999/duplicate", new { duplicateOf = first }), HttpStatusCode.NotFound);

        Assert.Equal(before, await ChangesAsync());
    }

    [Fact]
    public async Task HQ_assigns_a_report_only_to_an_enabled_field_crew_account_and_can_take_it_back()
    {
        await AddFieldCrewAsync("field-kameoka");
        await AddFieldCrewAsync("field-retired", disabled: true);
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var id = await SubmitAsync(field);
        var before = await ChangesAsync();

        foreach (var refused in new[] { "hq", "shelter", "admin", "field-retired", "nobody" })
        {
            await AssertRefusedAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/assignment", new { assignee = refused }), HttpStatusCode.BadRequest, "assignee");
        }

        Assert.Equal(before, await ChangesAsync());
        var crews = (await hq.GetFromJsonAsync<JsonArray>("/api/field-crews"))!.Select(c => c!["userName"]!.GetValue<string>()).ToList();
        Assert.Contains("field-kameoka", crews);
        Assert.Contains("field", crews);
        Assert.DoesNotContain("field-retired", crews);
        Assert.DoesNotContain("hq", crews);

        var assigned = await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/assignment", new { assignee = "field-kameoka", comment = "亀岡地区の班へ" }));
        Assert.Equal("field-kameoka", assigned["assignedTo"]!.GetValue<string>());
        Assert.Equal("field-kameoka 班", assigned["assignedToName"]!.GetValue<string>());
        var taken = await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/assignment", new { assignee = (string?)null }));
        Assert.Null(taken["assignedTo"]);

        var history = (await hq.GetFromJsonAsync<JsonArray>($"/api/reports/{id}/history"))!.Where(h => h!["action"]!.GetValue<string>() == "assignment").ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal("field-kameoka", history[0]!["after"]!["assignedTo"]!.GetValue<string>());
        Assert.Equal("亀岡地区の班へ", history[0]!["comment"]!.GetValue<string>());
        Assert.Equal("field-kameoka", history[1]!["before"]!["assignedTo"]!.GetValue<string>());
    }

    [Fact]
    public async Task HQ_sets_and_clears_its_notes_and_makes_a_photo_public()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var id = await SubmitAsync(field, photos: 2);

        var noted = await OkAsync(await hq.PatchAsJsonAsync($"/api/reports/{id}", new { internalNote = "消防に連絡済", publicSummary = "国道113号 冠水 通行注意" }));
        Assert.Equal("消防に連絡済", noted["internalNote"]!.GetValue<string>());
        Assert.Equal("国道113号 冠水 通行注意", noted["publicSummary"]!.GetValue<string>());
        var cleared = await OkAsync(await hq.PatchAsJsonAsync($"/api/reports/{id}", new { internalNote = "" }));
        Assert.Null(cleared["internalNote"]);
        Assert.Equal("国道113号 冠水 通行注意", cleared["publicSummary"]!.GetValue<string>());
        await AssertRefusedAsync(await hq.PatchAsJsonAsync($"/api/reports/{id}", new { publicSummary = new string('x', 1_001) }), HttpStatusCode.BadRequest,
            "publicSummary");
        await AssertRefusedAsync(await hq.PatchAsJsonAsync($"/api/reports/{id}", new { }), HttpStatusCode.BadRequest, "body");

        var shown = await OkAsync(await hq.PutAsJsonAsync($"/api/reports/{id}/photos/2/public", new { @public = true }));
        Assert.Equal([false, true], shown["photos"]!.AsArray().Select(p => p!["public"]!.GetValue<bool>()));
        await AssertRefusedAsync(await hq.PutAsJsonAsync($"/api/reports/{id}/photos/3/public", new { @public = true }), HttpStatusCode.NotFound);
        await AssertRefusedAsync(await hq.PutAsJsonAsync($"/api/reports/{id}/photos/1/public", new { }), HttpStatusCode.BadRequest, "public");

        var history = (await hq.GetFromJsonAsync<JsonArray>($"/api/reports/{id}/history"))!;
        Assert.Equal(["submit", "notes", "notes", "photo"], history.Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("消防に連絡済", history[2]!["before"]!["internalNote"]!.GetValue<string>());
        Assert.False(history[2]!["after"]!.AsObject().ContainsKey("publicSummary"));
        Assert.True(history[3]!["after"]!["public"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_staff_snapshot_keeps_open_reports_and_those_closed_in_the_last_day()
    {
        using var field = await app.SignedInClientAsync("field");
        using var hq = await app.SignedInClientAsync("hq");
        var oldOpen = await SubmitAsync(field);
        var closedLongAgo = await SubmitAsync(field);
        var closedToday = await SubmitAsync(field);
        foreach (var id in new[] { closedLongAgo, closedToday })
        {
            await OkAsync(await hq.PostAsJsonAsync($"/api/reports/{id}/status", new { status = "rejected", reason = "訓練の誤送信" }));
        }

        await app.Database.ScalarAsync<object>(
            $"UPDATE field_reports SET updated_at = now() - interval '25 hours' WHERE id IN ({oldOpen}, {closedLongAgo})");

        var snapshot = await app.Services.GetRequiredService<Bousai.Server.Live.SituationSnapshots>().LoadAsync(Bousai.Server.Live.Audience.Staff,
            CancellationToken.None);

        var ids = snapshot.Reports.Select(r => r.ReportId).ToList();
        Assert.Contains(oldOpen, ids);
        Assert.Contains(closedToday, ids);
        Assert.DoesNotContain(closedLongAgo, ids);
    }
}
