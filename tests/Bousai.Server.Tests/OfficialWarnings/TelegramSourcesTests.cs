using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Bousai.Server.Tests.OfficialWarnings;

/// <summary>
/// A stand-in for JMA's PULL feed on a loopback port (an Atom feed and the telegrams it links to, answering 304 to a
/// request that names its current ETag), and a drop directory, both configured on a real server.
/// </summary>
public sealed class TelegramSources : IAsyncLifetime
{
    private WebApplication? _jma;
    private volatile string _etag = "\"feed-1\"";
    private volatile string[] _telegrams = ["weather-issued.xml"];

    public BousaiApp App { get; private set; } = null!;
    public string DropDirectory { get; } = Path.Combine(Path.GetTempPath(), "bousai-drop-" + Guid.NewGuid().ToString("N")[..8]);
    public ConcurrentQueue<(string? IfNoneMatch, int Status)> FeedRequests { get; } = new();
    public ConcurrentDictionary<string, int> Fetches { get; } = new();

    /// <summary>Publishes a new version of the feed listing these telegrams.</summary>
    public void Publish(string etag, params string[] telegrams)
    {
        _telegrams = telegrams;
        _etag = etag;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _jma = builder.Build();
        _jma.MapGet("/developer/xml/feed/extra.xml", (HttpContext http) =>
        {
            var etag = _etag;
            var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
            if (ifNoneMatch == etag)
            {
                FeedRequests.Enqueue((ifNoneMatch, 304));
                return Results.StatusCode(304);
            }

            FeedRequests.Enqueue((ifNoneMatch.Length == 0 ? null : ifNoneMatch, 200));
            http.Response.Headers.ETag = etag;
            var entries = string.Concat(_telegrams.Select(t => $"""
                <entry><title>気象警報・注意報（Ｈ２７）</title><id>urn:test:{t}</id><updated>2025-07-14T01:00:00Z</updated>
                <author><name>山形地方気象台</name></author><link type="application/xml" href="/data/{t}"/></entry>
                """));
            return Results.Text($"""
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom" lang="ja"><title>随時</title><id>urn:test:feed</id><updated>2025-07-14T01:00:00Z</updated>
                <entry><title>震度速報</title><id>urn:test:quake</id><updated>2025-07-14T01:00:00Z</updated><link type="application/xml" href="/data/quake.xml"/></entry>
                {entries}
                </feed>
                """.Trim(), "application/atom+xml");
        });
        _jma.MapGet("/data/{name}", (string name) =>
        {
            Fetches.AddOrUpdate(name, 1, (_, n) => n + 1);
            var file = Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams", name);
            return File.Exists(file) ? Results.Bytes(File.ReadAllBytes(file), "application/xml") : Results.NotFound();
        });
        await _jma.StartAsync();
        Directory.CreateDirectory(DropDirectory);
        App = BousaiApp.OnKestrel(new Dictionary<string, string>
        {
            ["OfficialWarnings:FeedUrl"] = _jma.Urls.First() + "/developer/xml/feed/extra.xml",
            ["OfficialWarnings:PollSeconds"] = "1",
            ["OfficialWarnings:DropDirectory"] = DropDirectory,
            ["OfficialWarnings:DropPollSeconds"] = "1",
        });
        await ((IAsyncLifetime)App).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        if (_jma is not null) await _jma.DisposeAsync();
        Directory.Delete(DropDirectory, recursive: true);
    }
}

public sealed class TelegramSourcesTests(TelegramSources sources) : IClassFixture<TelegramSources>
{
    private BousaiApp App => sources.App;

    private Task<long> CountAsync(string where) => App.Database.ScalarAsync<long>($"SELECT count(*) FROM official_warnings WHERE {where}");

    [Fact]
    public async Task The_feed_is_polled_conditionally_each_telegram_fetched_once_and_a_new_version_followed()
    {
        await Eventually.TrueAsync(async () => await CountAsync("source = 'jma_feed' AND status = 'in_force'") == 2, "the feed's telegram to be recorded");
        await Eventually.TrueAsync(() => Task.FromResult(sources.FeedRequests.Any(r => r.Status == 304)), "a poll answered 304");

        var conditional = sources.FeedRequests.First(r => r.Status == 304);
        Assert.Equal("\"feed-1\"", conditional.IfNoneMatch);
        Assert.Equal(1, sources.Fetches["weather-issued.xml"]);
        Assert.False(sources.Fetches.ContainsKey("quake.xml"));

        sources.Publish("\"feed-2\"", "weather-issued.xml", "weather-lifted.xml");

        await Eventually.TrueAsync(async () => await CountAsync("source = 'jma_feed' AND status = 'ended'") == 2, "the lifting to end both warnings");
        Assert.Equal(1, sources.Fetches["weather-issued.xml"]);
        Assert.Equal(1, sources.Fetches["weather-lifted.xml"]);
        Assert.Equal(2, await App.Database.ScalarAsync<long>("SELECT count(*) FROM official_telegrams WHERE source = 'jma_feed'"));
    }

    [Fact]
    public async Task Dropped_files_are_recorded_once_and_moved_to_processed_or_failed_with_a_reason()
    {
        var telegrams = Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams");
        File.WriteAllBytes(Path.Combine(sources.DropDirectory, "flood-danger.xml.part"), File.ReadAllBytes(Path.Combine(telegrams, "flood-danger.xml")));
        File.Copy(Path.Combine(telegrams, "landslide-issued.xml"), Path.Combine(sources.DropDirectory, "landslide-issued.xml"));
        File.Copy(Path.Combine(telegrams, "malformed.xml"), Path.Combine(sources.DropDirectory, "malformed.xml"));

        var processed = Path.Combine(sources.DropDirectory, "processed", "landslide-issued.xml");
        var reason = Path.Combine(sources.DropDirectory, "failed", "malformed.xml.reason.txt");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(processed) && File.Exists(reason)), "both files to be moved");

        Assert.Equal(1, await CountAsync("source = 'jma_drop' AND status = 'in_force' AND kind = 'landslide_alert'"));
        Assert.True(File.Exists(Path.Combine(sources.DropDirectory, "failed", "malformed.xml")));
        Assert.Contains("XML", File.ReadAllText(reason));
        Assert.False(File.Exists(Path.Combine(sources.DropDirectory, "landslide-issued.xml")));
        Assert.True(File.Exists(Path.Combine(sources.DropDirectory, "flood-danger.xml.part")));

        File.Copy(Path.Combine(telegrams, "landslide-issued.xml"), Path.Combine(sources.DropDirectory, "landslide-issued.xml"));
        await Eventually.TrueAsync(() => Task.FromResult(!File.Exists(Path.Combine(sources.DropDirectory, "landslide-issued.xml"))), "the copy to be moved");
        Assert.Equal(1, await App.Database.ScalarAsync<long>("SELECT count(*) FROM official_telegrams WHERE source = 'jma_drop'"));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(sources.DropDirectory, "processed")).Length);
    }

    [Fact]
    public async Task The_public_hub_carries_an_official_warning_live_and_in_its_snapshot_without_who_entered_it()
    {
        await using var resident = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await resident.WaitUntilAsync(c => c.Snapshot is not null, "the public snapshot");
        using var hq = await App.SignedInClientAsync("hq");

        var entered = await hq.PostAsJsonAsync("/api/official-warnings", new { kind = "river_flood", name = "最上川上流氾濫警戒情報", rivers = new[] { "最上川上流" } });
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);

        await resident.WaitUntilAsync(c => c.Events.OfType<OfficialWarningChanged>().Any(e => e.Warning.Name == "最上川上流氾濫警戒情報"), "the warning on the public hub");
        var live = resident.Events.OfType<OfficialWarningChanged>().Single(e => e.Warning.Name == "最上川上流氾濫警戒情報").Warning;
        Assert.True(live.EnteredByHand);
        Assert.Null(live.EnteredBy);
        await using var late = (await LiveClient.ConnectAsync(App.BaseAddress, "/hubs/public")).Follow();
        await late.WaitUntilAsync(c => c.Snapshot is not null, "a later public snapshot");
        var inSnapshot = Assert.Single(late.Snapshot!.OfficialWarnings!, w => w.Name == "最上川上流氾濫警戒情報");
        Assert.Null(inSnapshot.EnteredBy);
    }
}
