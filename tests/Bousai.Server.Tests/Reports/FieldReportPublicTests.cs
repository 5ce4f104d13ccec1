using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Live;
using Bousai.Server.Tests.Live;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Reports;

/// <summary>What residents see of field reports: verified ones in public categories, without who or their words, public photos only.</summary>
public sealed class FieldReportPublicTests(KestrelApp fixture) : IClassFixture<KestrelApp>
{
    private BousaiApp App => fixture.App;

    private const string ReporterWords = "佐藤様方の前 090-1234-5678";

    private async Task<long> SubmitAsync(HttpClient client, string category, int photos)
    {
        var response = await client.PostReportAsync(FieldReportForm.Report(category, ReporterWords),
            [.. Enumerable.Range(0, photos).Select(i => new PhotoPart(FieldReportForm.Jpeg(500 + i, 300)))]);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reportId"]!.GetValue<long>();
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Residents_see_only_verified_reports_of_public_categories_without_reporter_words_or_hidden_photos_and_resolved_ones_leave()
    {
        using var field = await App.SignedInClientAsync("field");
        using var hq = await App.SignedInClientAsync("hq");
        var road = await SubmitAsync(field, "road_blocked", photos: 2);
        var unverified = await SubmitAsync(field, "flooding", photos: 1);
        var rescue = await SubmitAsync(field, "rescue_needed", photos: 1);
        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{road}/status", new { status = "verified", comment = "消防団が確認" }));
        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{road}/assignment", new { assignee = "field" }));
        await OkAsync(hq.PatchAsJsonAsync($"/api/reports/{road}", new { internalNote = "住民の山田さんから電話", publicSummary = "県道 倒木で通行止め" }));
        await OkAsync(hq.PutAsJsonAsync($"/api/reports/{road}/photos/1/public", new { @public = true }));
        // Public photos of reports that are not public stay hidden.
        await OkAsync(hq.PutAsJsonAsync($"/api/reports/{unverified}/photos/1/public", new { @public = true }));
        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{rescue}/status", new { status = "verified" }));
        await OkAsync(hq.PutAsJsonAsync($"/api/reports/{rescue}/photos/1/public", new { @public = true }));

        await using var resident = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await resident.WaitUntilAsync(c => c.Snapshot is not null, "the public snapshot");
        var snapshotJson = JsonSerializer.Serialize(resident.Snapshot, BousaiJson.Options);
        var seen = Assert.Single(resident.Snapshot!.Reports);
        Assert.Equal(road, seen.ReportId);
        Assert.Equal("県道 倒木で通行止め", seen.PublicSummary);
        Assert.Equal([1], seen.Photos.Select(p => p.Position));
        foreach (var secret in new[] { ReporterWords, "field テスト", "住民の山田さん", "clientId", "reportedBy", "assignedTo", "accuracyMetres", "\"field\"" })
        {
            Assert.DoesNotContain(secret, snapshotJson);
        }

        using var anonymous = App.Client();
        var photo = await anonymous.GetAsync($"/api/reports/{road}/photos/1");
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);
        Assert.True(photo.Headers.CacheControl!.Public);
        var etag = photo.Headers.ETag!;
        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/{road}/photos/1/thumbnail") { Headers = { IfNoneMatch = { etag } } })
        {
            // The thumbnail has its own tag; the full image's tag does not validate it.
            Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(revalidate)).StatusCode);
        }

        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/{road}/photos/1") { Headers = { IfNoneMatch = { etag } } })
        {
            Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(revalidate)).StatusCode);
        }

        foreach (var hidden in new[] { $"{road}/photos/2", $"{road}/photos/2/thumbnail", $"{unverified}/photos/1", $"{rescue}/photos/1", $"{road}/photos/9" })
        {
            var refused = await anonymous.GetAsync($"/api/reports/{hidden}");
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{hidden} answered {(int)refused.StatusCode} to a resident");
        }

        // Resolved: the road is open again, so the report leaves the residents' view, live and in the next snapshot.
        var start = resident.LastThrough!.Value;
        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{road}/status", new { status = "resolved", comment = "撤去完了" }));
        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{unverified}/status", new { status = "verified" }));
        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{unverified}/status", new { status = "in_progress" }));
        await resident.WaitUntilAsync(c => c.LastThrough >= start + 3, "the three changes to reach the public hub");
        var events = resident.Events.Where(e => e.Seq > start).ToList();
        Assert.Equal(road, Assert.IsType<FieldReportWithdrawn>(events[0]).ReportId);
        var flooded = events.Skip(1).Cast<FieldReportUpdated>().ToList();
        Assert.All(flooded, e =>
        {
            Assert.Equal(unverified, e.Report.ReportId);
            Assert.Null(e.Report.Description);
            Assert.Null(e.Report.ReportedBy);
            Assert.Null(e.Report.ReportedByName);
            Assert.Null(e.UpdatedBy);
        });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/reports/{road}/photos/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/reports/{unverified}/photos/1")).StatusCode);
        Assert.Empty(resident.Violations);

        await using var late = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await late.WaitUntilAsync(c => c.Snapshot is not null, "a late resident's snapshot");
        Assert.Equal([unverified], late.Snapshot!.Reports.Select(r => r.ReportId));
    }

    [Fact]
    public async Task Shelter_staff_and_admins_see_photos_as_residents_do()
    {
        using var field = await App.SignedInClientAsync("field");
        using var shelter = await App.SignedInClientAsync("shelter");
        using var admin = await App.SignedInClientAsync("admin");
        var id = await SubmitAsync(field, "flooding", photos: 1);

        Assert.Equal(HttpStatusCode.NotFound, (await shelter.GetAsync($"/api/reports/{id}/photos/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/reports/{id}/photos/1/thumbnail")).StatusCode);
        var own = await field.GetAsync($"/api/reports/{id}/photos/1");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.True(own.Headers.CacheControl!.Private);
    }
}
