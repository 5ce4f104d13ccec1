using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bousai.Server.PublicView;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bousai.Server.Tests.PublicView;

/// <summary>
/// The public view's answers against the real server and PostGIS: from memory (no database work per request), kept
/// current by the live events, validated by ETag, compressed once, cacheable by a CDN, and written out as a static
/// export on every change.
/// </summary>
public sealed partial class PublicViewTests : IAsyncLifetime
{
    private const string Shelter = "takahata-shelter-05";
    private static readonly string[] Documents = ["/public", "/public/en", "/public/text", "/public/text/en", "/public/situation.json", "/public/shelters.json"];
    /// <summary>What a resident's page load asks the server for: the documents and the layers the script takes the parts over with.</summary>
    private static readonly string[] PageLoad =
    [
        .. Documents, "/api/layers/districts?bbox=139.89,37.8,140.49,38.2", "/api/layers/stations?bbox=139.89,37.8,140.49,38.2",
        "/api/layers/shelters?bbox=139.89,37.8,140.49,38.2",
    ];

    private readonly string _export = Directory.CreateTempSubdirectory("bousai-export-").FullName;
    private readonly BousaiApp _app;

    public PublicViewTests()
    {
        _app = BousaiApp.OnKestrel(new Dictionary<string, string>
        {
            ["PublicExport:Directory"] = _export, ["PublicExport:RefreshInterval"] = "00:00:01", ["PublicExport:BaseUrl"] = "https://bousai.example.jp",
        });
    }

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_app).DisposeAsync();
        Directory.Delete(_export, recursive: true);
    }

    [Fact]
    public async Task Every_public_document_carries_an_ETag_answers_304_to_it_and_may_be_cached_by_a_CDN()
    {
        using var client = _app.Client();
        foreach (var path in Documents)
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(PublicViewEndpoints.CacheControl, response.Headers.CacheControl!.ToString().Replace(" ", "").Replace(",", ", "));
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var etag = response.Headers.ETag!;

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            var revalidated = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.Equal(etag, revalidated.Headers.ETag);
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());

            using var head = new HttpRequestMessage(HttpMethod.Head, path);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(head)).StatusCode);
        }
    }

    [Fact]
    public async Task Brotli_and_gzip_bodies_are_the_same_document_compressed()
    {
        using var client = _app.Client();
        foreach (var path in Documents)
        {
            var plain = await client.GetByteArrayAsync(path);
            foreach (var (coding, decompress) in new (string, Func<Stream, Stream>)[]
                     {
                         ("br", s => new BrotliStream(s, CompressionMode.Decompress)), ("gzip", s => new GZipStream(s, CompressionMode.Decompress)),
                     })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(coding));
                var response = await client.SendAsync(request);
                Assert.Equal([coding], response.Content.Headers.ContentEncoding);
                var compressed = await response.Content.ReadAsByteArrayAsync();
                Assert.True(compressed.Length < plain.Length, $"{path} {coding}: {compressed.Length} of {plain.Length} bytes");
                using var output = new MemoryStream();
                await using (var stream = decompress(new MemoryStream(compressed))) await stream.CopyToAsync(output);
                Assert.Equal(plain, output.ToArray());
            }
        }
    }

    [Fact]
    public async Task A_shelter_opening_reaches_the_page_and_the_JSON_and_the_old_ETag_no_longer_matches()
    {
        using var client = _app.Client();
        var before = await client.GetAsync("/public");
        Assert.Contains($"data-shelter-id=\"{Shelter}\" data-crowding=\"closed\"", await before.Content.ReadAsStringAsync());
        Assert.Contains("data-crowding=\"closed\"", await before.Content.ReadAsStringAsync());

        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{Shelter}/status", new { open = true, occupancy = 12, note = "内部メモ" })).StatusCode);

        await Eventually.TrueAsync(async () =>
            (await client.GetStringAsync("/public")).Contains($"data-shelter-id=\"{Shelter}\" data-crowding=\"available\""), "the opened shelter on /public");
        var page = await client.GetStringAsync("/public");
        Assert.DoesNotContain("内部メモ", page);
        var json = JsonNode.Parse(await client.GetStringAsync("/public/shelters.json"))!;
        var feature = json["features"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == Shelter)!;
        Assert.True(feature["properties"]!["open"]!.GetValue<bool>());
        Assert.Equal("available", feature["properties"]!["crowding"]!.GetValue<string>());
        Assert.Equal(12, feature["properties"]!["head_count"]!.GetValue<int>());
        var situation = JsonNode.Parse(await client.GetStringAsync("/public/situation.json"))!;
        Assert.Equal("snapshot", situation["type"]!.GetValue<string>());
        Assert.True(situation["snapshot"]!["shelters"]!.AsArray().Single(s => s!["shelterId"]!.GetValue<string>() == Shelter)!["open"]!.GetValue<bool>());

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/public");
        stale.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task A_district_orders_the_shelters_from_it_and_a_bad_one_is_a_400_problem()
    {
        using var client = _app.Client();
        var page = await client.GetStringAsync("/public?district=district-yashiro");
        Assert.Contains("<option value=\"district-yashiro\" selected>", page);
        Assert.Contains("class=\"distance\"", page);

        var bad = await client.GetAsync("/public/text?district=nowhere");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        Assert.Contains("nowhere", await bad.Content.ReadAsStringAsync());

        var english = await client.GetAsync("/public?lang=en&district=district-yashiro");
        Assert.Equal(HttpStatusCode.Redirect, english.StatusCode);
        Assert.Equal("/public/en?district=district-yashiro", english.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/public?district=%00")).StatusCode);
    }

    [Fact]
    public async Task A_thousand_requests_cost_the_database_nothing()
    {
        using var client = _app.Client();
        foreach (var path in PageLoad) await client.GetStringAsync(path);
        var db = _app.Services.GetRequiredService<NpgsqlDataSource>();
        var database = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!;
        // The count sees the server's commands: one query is one.
        Assert.True(await CommandsDuringAsync(database, async () =>
        {
            await using var probe = db.CreateCommand("SELECT 1");
            await probe.ExecuteScalarAsync();
        }) >= 1, "Npgsql's tracing counted no command");
        var idle = await CommandsDuringAsync(database, () => Task.Delay(TimeSpan.FromSeconds(2)));
        var busy = await CommandsDuringAsync(database, async () =>
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 1000; i++) await client.GetByteArrayAsync(PageLoad[i % PageLoad.Length]);
            var left = TimeSpan.FromSeconds(2) - stopwatch.Elapsed;
            if (left > TimeSpan.Zero) await Task.Delay(left);
        });
        // Background work (evaluators, the CAP reconciler, the feed) queries now and then; a query per request would be 1,000 more.
        Assert.True(busy < idle + 100, $"1,000 requests: {busy} database commands, against {idle} in the same time idle");
    }

    [Fact]
    public async Task The_static_export_is_written_on_a_change_and_holds_everything_the_page_refers_to()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{Shelter}/status", new { open = true, occupancy = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level",
            new { level = 4, decidedBy = "本部長", reason = "試験" })).StatusCode);

        var exported = Path.Combine(_export, "public", "shelters.json");
        // export.json is written last: once it names a position after the change, every file of that export is in place.
        var manifestFile = Path.Combine(_export, "export.json");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(exported) && File.ReadAllText(exported).Contains("\"head_count\":3")
                && File.Exists(manifestFile) && JsonNode.Parse(File.ReadAllText(manifestFile))!["seq"]!.GetValue<long>() > 0),
            "the export to follow the change");
        await Eventually.TrueAsync(() => Task.FromResult(Directory.Exists(Path.Combine(_export, "cap", "messages"))
                && Directory.EnumerateFiles(Path.Combine(_export, "cap", "messages")).Any()), "the CAP message of the level in the export");

        foreach (var file in new[] { "public/index.html", "public/en/index.html", "public/text/index.html", "public/text/en/index.html",
                     "public/situation.json", "public/shelters.json", "public/map.png", "cap/feed.atom", "export.json" })
        {
            Assert.True(File.Exists(Path.Combine(_export, file)), $"{file} is missing from the export");
        }

        var index = await File.ReadAllTextAsync(Path.Combine(_export, "public", "index.html"));
        Assert.Contains("data-district-id=\"district-yashiro\" data-level=\"4\"", index);
        foreach (Match reference in AssetReference().Matches(index))
        {
            Assert.True(File.Exists(Path.Combine(_export, reference.Groups[1].Value.TrimStart('/'))), $"{reference.Value} is not in the export");
        }

        Assert.NotEmpty(AssetReference().Matches(index));
        // The home-screen app's manifests and icons, and the notifications' icons, go with the page.
        foreach (var file in new[] { "public-app.webmanifest", "public-app-en.webmanifest", "icons/public-192.png", "notifications/level-4.png" })
        {
            Assert.True(File.Exists(Path.Combine(_export, file)), $"{file} is not in the export");
        }
        var feed = await File.ReadAllTextAsync(Path.Combine(_export, "cap", "feed.atom"));
        Assert.Contains("https://bousai.example.jp/cap/messages/", feed);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_export, "export.json")))!;
        Assert.True(manifest["seq"]!.GetValue<long>() > 0);
        Assert.DoesNotContain(Directory.EnumerateFiles(_export, "*", SearchOption.AllDirectories), f => f.Contains(".tmp-", StringComparison.Ordinal));
    }

    /// <summary>Commands this app's server sent to its own database while <paramref name="work"/> ran, counted from Npgsql's tracing.</summary>
    private static async Task<int> CommandsDuringAsync(string database, Func<Task> work)
    {
        var count = 0;
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.name") ?? activity.GetTagItem("db.namespace"), database)) Interlocked.Increment(ref count);
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await work();
        return Volatile.Read(ref count);
    }

    [GeneratedRegex("(?:src|href)=\"(/(?:assets|icons)/[^\"]+|/[^\"/]+\\.webmanifest)\"")]
    private static partial Regex AssetReference();
}
