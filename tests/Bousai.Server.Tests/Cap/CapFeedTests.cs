using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Bousai.Server.Cap;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Cap;

/// <summary>The CAP feed as residents' systems read it: anonymous, following each district level through Alert, Update and Cancel.</summary>
public sealed class CapFeedTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace C = CapXml.Cap;
    private const string DecidedBy = "本部長 高畠太郎";

    private async Task IssueAsync(string districtId, int level, string reason)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var response = await hq.PutAsJsonAsync($"/api/districts/{districtId}/evacuation-level", new { level, decidedBy = DecidedBy, reason });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<XDocument> FeedAsync(HttpClient client)
    {
        var response = await client.GetAsync(CapEndpoints.FeedPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The feed's entry for an item once its latest message is of the given type.</summary>
    private async Task<XElement> EntryAsync(HttpClient client, string itemKey, CapMsgType type)
    {
        XElement? found = null;
        await Eventually.TrueAsync(async () =>
        {
            found = (await FeedAsync(client)).Root!.Elements(Atom + "entry").SingleOrDefault(e =>
                e.Element(Atom + "id")!.Value.StartsWith($"urn:bousai:takahata:{itemKey}:")
                && e.Element(Atom + "category")!.Attribute("term")!.Value == type.ToString());
            return found is not null;
        }, $"a CAP {type} for {itemKey} in the feed", timeoutSeconds: 15);
        return found!;
    }

    private static async Task<XElement> MessageAsync(HttpClient client, XElement entry)
    {
        var href = new Uri(entry.Element(Atom + "link")!.Attribute("href")!.Value);
        var response = await client.GetAsync(href.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/cap+xml", response.Content.Headers.ContentType?.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        CapSchema.AssertValid(xml);
        return XDocument.Parse(xml).Root!;
    }

    private static string Reference(XElement message) =>
        $"{message.Element(C + "sender")!.Value},{message.Element(C + "identifier")!.Value},{message.Element(C + "sent")!.Value}";

    [Fact]
    public async Task A_district_level_is_an_alert_when_issued_an_update_when_raised_and_a_cancel_when_lifted()
    {
        using var residents = app.Client();

        await IssueAsync("district-yashiro", 3, "屋代川 避難判断水位");
        var alert = await MessageAsync(residents, await EntryAsync(residents, "district-level:district-yashiro", CapMsgType.Alert));
        Assert.Equal("Actual", alert.Element(C + "status")!.Value);
        Assert.Equal("Public", alert.Element(C + "scope")!.Value);
        Assert.Null(alert.Element(C + "references"));
        var infos = alert.Elements(C + "info").ToList();
        Assert.Equal(["ja-JP", "en-US"], infos.Select(i => i.Element(C + "language")!.Value));
        Assert.Equal("高齢者等避難", infos[0].Element(C + "event")!.Value);
        Assert.Contains("屋代地区", infos[0].Element(C + "area")!.Element(C + "areaDesc")!.Value);
        var ring = infos[0].Element(C + "area")!.Element(C + "polygon")!.Value.Split(' ');
        Assert.InRange(ring.Length, 4, 100);
        Assert.Equal(ring[0], ring[^1]);

        await IssueAsync("district-yashiro", 4, "屋代川 氾濫危険水位");
        var update = await MessageAsync(residents, await EntryAsync(residents, "district-level:district-yashiro", CapMsgType.Update));
        Assert.Equal(Reference(alert), update.Element(C + "references")!.Value);
        Assert.Equal("避難指示", update.Element(C + "info")!.Element(C + "event")!.Value);
        Assert.Equal("Immediate", update.Element(C + "info")!.Element(C + "urgency")!.Value);

        await IssueAsync("district-yashiro", 0, "水位が下がったため解除");
        var cancel = await MessageAsync(residents, await EntryAsync(residents, "district-level:district-yashiro", CapMsgType.Cancel));
        Assert.Equal(Reference(update), cancel.Element(C + "references")!.Value);
        Assert.Equal("AllClear", cancel.Element(C + "info")!.Element(C + "responseType")!.Value);
        Assert.Equal(3, await app.Database.ScalarAsync<long>("SELECT count(*) FROM cap_messages WHERE item_key = 'district-level:district-yashiro'"));
    }

    [Fact]
    public async Task The_feed_and_each_message_answer_304_until_something_changes()
    {
        using var residents = app.Client();
        await IssueAsync("district-wada", 3, "和田川 水位上昇");
        var entry = await EntryAsync(residents, "district-level:district-wada", CapMsgType.Alert);

        var feed = await residents.GetAsync(CapEndpoints.FeedPath);
        var etag = feed.Headers.ETag!;
        using (var again = new HttpRequestMessage(HttpMethod.Get, CapEndpoints.FeedPath))
        {
            again.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await residents.SendAsync(again)).StatusCode);
        }

        var path = new Uri(entry.Element(Atom + "link")!.Attribute("href")!.Value).PathAndQuery;
        var message = await residents.GetAsync(path);
        using (var again = new HttpRequestMessage(HttpMethod.Get, path))
        {
            again.Headers.IfNoneMatch.Add(message.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await residents.SendAsync(again)).StatusCode);
        }

        await IssueAsync("district-wada", 4, "和田川 氾濫危険水位");
        await EntryAsync(residents, "district-level:district-wada", CapMsgType.Update);
        using (var changed = new HttpRequestMessage(HttpMethod.Get, CapEndpoints.FeedPath))
        {
            changed.Headers.IfNoneMatch.Add(etag);
            var response = await residents.SendAsync(changed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(etag, response.Headers.ETag);
        }

        using (var old = new HttpRequestMessage(HttpMethod.Get, path))
        {
            old.Headers.IfNoneMatch.Add(message.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await residents.SendAsync(old)).StatusCode);
        }
    }

    [Fact]
    public async Task The_feed_is_anonymous_and_names_no_staff()
    {
        await IssueAsync("district-niijuku", 5, "土砂災害発生");
        using var anonymous = app.Client();
        await EntryAsync(anonymous, "district-level:district-niijuku", CapMsgType.Alert);

        var feed = await anonymous.GetStringAsync(CapEndpoints.FeedPath);
        var everything = new List<string> { feed };
        foreach (var link in XDocument.Parse(feed).Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "link")!.Attribute("href")!.Value))
        {
            everything.Add(await anonymous.GetStringAsync(new Uri(link).PathAndQuery));
        }

        Assert.True(everything.Count > 1);
        Assert.All(everything, text =>
        {
            Assert.DoesNotContain(DecidedBy, text);
            Assert.DoesNotContain("hq テスト", text);
        });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/cap/messages/urn:bousai:takahata:nothing:1.xml")).StatusCode);
    }

    [Fact]
    public async Task A_real_level_stays_Actual_through_a_drill_and_is_not_cancelled_when_the_drill_ends()
    {
        using var residents = app.Client();
        using var hq = await app.SignedInClientAsync("hq");
        await IssueAsync("district-kameoka", 3, "大雨");
        await EntryAsync(residents, "district-level:district-kameoka", CapMsgType.Alert);

        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/drills", new { name = "総合防災訓練" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);
        var reconciler = app.Services.GetRequiredService<CapReconciler>();
        await reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal("Alert", await app.Database.ScalarAsync<string>(
            "SELECT string_agg(msg_type, ' ' ORDER BY number) FROM cap_messages WHERE item_key = 'district-level:district-kameoka'"));
        Assert.Equal(0, await app.Database.ScalarAsync<long>("SELECT count(*) FROM cap_messages WHERE item_key = 'district-level:district-kameoka' AND status = 'Exercise'"));
    }

    [Fact]
    public async Task Reconciling_again_at_once_or_from_a_second_instance_sends_nothing_twice()
    {
        using var residents = app.Client();
        await IssueAsync("district-nukanome", 4, "最上川 氾濫危険水位");
        await EntryAsync(residents, "district-level:district-nukanome", CapMsgType.Alert);
        var reconciler = app.Services.GetRequiredService<CapReconciler>();
        var before = await app.Database.ScalarAsync<long>("SELECT count(*) FROM cap_messages");

        var sent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => reconciler.ReconcileAsync(CancellationToken.None)));

        Assert.All(sent, Assert.Empty);
        await using (var second = app.AnotherInstance())
        {
            await ((IAsyncLifetime)second).InitializeAsync();
            Assert.Empty(await second.Services.GetRequiredService<CapReconciler>().ReconcileAsync(CancellationToken.None));
        }

        Assert.Equal(before, await app.Database.ScalarAsync<long>("SELECT count(*) FROM cap_messages"));
    }

    [Fact]
    public async Task A_cancel_stays_in_the_feed_for_a_day_then_leaves_it()
    {
        using var residents = app.Client();
        await IssueAsync("district-takahata", 3, "大雨");
        await EntryAsync(residents, "district-level:district-takahata", CapMsgType.Alert);
        await IssueAsync("district-takahata", 0, "解除");
        await EntryAsync(residents, "district-level:district-takahata", CapMsgType.Cancel);

        await using var dayAfter = app.AnotherInstance(clockAhead: TimeSpan.FromHours(25));
        await ((IAsyncLifetime)dayAfter).InitializeAsync();
        using var later = dayAfter.Client();
        var entries = (await FeedAsync(later)).Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value).ToList();

        Assert.DoesNotContain(entries, id => id.Contains(":district-level:district-takahata:"));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("field")]
    [InlineData("shelter")]
    [InlineData("hq")]
    public async Task Anyone_reads_the_feed_and_nobody_writes_to_it(string role)
    {
        using var client = role == "anonymous" ? app.Client() : await app.SignedInClientAsync(role);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(CapEndpoints.FeedPath)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync(CapEndpoints.FeedPath, new StringContent(""))).StatusCode);
    }
}
