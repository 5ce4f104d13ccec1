using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bousai.Server.OgcApi;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.OgcApi;

/// <summary>
/// OGC API – Features under /ogc against the standard's rules (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0): links, paging,
/// bbox, datetime, limit bounds, problem details on bad parameters, staff collections, ETags; and GDAL/OGR's OAPIF
/// driver (Debian's gdal-bin), a client nobody here wrote, reading every public collection.
/// </summary>
public sealed class OgcApiTests : IAsyncLifetime
{
    private static readonly string[] PublicCollections =
        ["boundary", "districts", "rivers", "flood-zones", "landslide-zones", "stations", "shelters", "district-levels", "official-warnings", "reports"];

    private readonly BousaiApp _app = BousaiApp.OnKestrel();

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task The_landing_page_links_the_API_definition_the_conformance_and_the_collections_and_conformance_names_the_four_classes()
    {
        using var client = _app.Client();
        var landing = await JsonAsync(client, "/ogc");
        var rels = Links(landing).ToDictionary(l => l.Rel, l => l.Href);
        Assert.EndsWith("/openapi/ogc.json", rels["service-desc"]);
        Assert.EndsWith("/ogc/conformance", rels["conformance"]);
        Assert.EndsWith("/ogc/collections", rels["data"]);
        Assert.EndsWith("/ogc?f=html", rels["alternate"]);

        var conformance = await JsonAsync(client, "/ogc/conformance");
        Assert.Equal(OgcEndpoints.ConformsTo, conformance.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()!));

        var api = await JsonAsync(client, "/openapi/ogc.json");
        Assert.StartsWith("3.0", api.GetProperty("openapi").GetString());
        var paths = api.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/ogc/collections/{collectionId}/items", paths);
        Assert.All(paths, p => Assert.StartsWith("/ogc", p));
        var itemParameters = api.GetProperty("paths").GetProperty("/ogc/collections/{collectionId}/items").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Superset(new HashSet<string?> { "bbox", "datetime", "limit", "offset", "f" }, itemParameters.ToHashSet());
        var limit = api.GetProperty("paths").GetProperty("/ogc/collections/{collectionId}/items").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal(10_000, limit.GetProperty("maximum").GetInt32());
        Assert.Equal(10, limit.GetProperty("default").GetInt32());
    }

    [Fact]
    public async Task Anyone_sees_the_public_collections_and_staff_see_the_staff_ones_too_which_refuse_anyone_else()
    {
        using var anonymous = _app.Client();
        var collections = await JsonAsync(anonymous, "/ogc/collections");
        var ids = collections.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(PublicCollections, ids);
        foreach (var c in collections.GetProperty("collections").EnumerateArray())
        {
            var links = Links(c).ToArray();
            Assert.Contains(links, l => l is { Rel: "items", Type: "application/geo+json" });
            Assert.Contains(links, l => l.Rel == "describedby");
            var bbox = c.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(4, bbox.Length);
        }

        var districts = collections.GetProperty("collections").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "districts");
        var extent = districts.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(extent[0], 139.9, 140.3); // Takahata lies at about 140.19 E, 38.0 N
        Assert.InRange(extent[1], 37.8, 38.1);

        foreach (var staffOnly in new[] { "all-reports", "alerts" })
        {
            foreach (var path in new[] { $"/ogc/collections/{staffOnly}", $"/ogc/collections/{staffOnly}/items" })
            {
                var refused = await anonymous.GetAsync(path);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }
        }

        using var hq = await _app.SignedInClientAsync("hq");
        var staffIds = (await JsonAsync(hq, "/ogc/collections")).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();
        Assert.Equal([.. PublicCollections, "all-reports", "alerts"], staffIds);
        Assert.Equal(HttpStatusCode.OK, (await hq.GetAsync("/ogc/collections/all-reports/items")).StatusCode);
    }

    [Fact]
    public async Task Items_page_ten_at_a_time_by_default_and_following_next_gives_every_feature_once()
    {
        using var client = _app.Client();
        var total = await _app.Database.ScalarAsync<long>("SELECT count(*) FROM shelters");
        Assert.True(total > 10, "the town has more shelters than one page");

        var first = await JsonAsync(client, "/ogc/collections/shelters/items");
        Assert.Equal("FeatureCollection", first.GetProperty("type").GetString());
        Assert.Equal(10, first.GetProperty("numberReturned").GetInt32());
        Assert.Equal(total, first.GetProperty("numberMatched").GetInt64());

        var seen = new List<string>();
        string? next = "/ogc/collections/shelters/items?limit=7";
        while (next is not null)
        {
            var page = await JsonAsync(client, next);
            var features = page.GetProperty("features").EnumerateArray().ToArray();
            Assert.True(features.Length <= 7);
            Assert.Equal(features.Length, page.GetProperty("numberReturned").GetInt32());
            foreach (var f in features)
            {
                Assert.Equal("Feature", f.GetProperty("type").GetString());
                Assert.Equal("Point", f.GetProperty("geometry").GetProperty("type").GetString());
                var properties = f.GetProperty("properties");
                Assert.False(string.IsNullOrEmpty(properties.GetProperty("name_ja").GetString()));
                Assert.Contains(properties.GetProperty("crowding").GetString(), new[] { "closed", "available", "somewhat_crowded", "crowded", "full", "unknown" });
                seen.Add(f.GetProperty("id").GetString()!);
            }

            next = Links(page).SingleOrDefault(l => l.Rel == "next")?.Href;
            if (next is not null) Assert.Contains("limit=7", next);
        }

        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Bbox_keeps_what_lies_in_the_box_and_datetime_keeps_what_happened_then()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-09/status", new { open = true, occupancy = 12 })).StatusCode);
        var opened = DateTimeOffset.UtcNow;
        var (lon, lat) = await _app.Database.PointAsync("SELECT ST_X(geom), ST_Y(geom) FROM shelters WHERE id = 'takahata-shelter-09'");

        using var client = _app.Client();
        var box = FormattableString.Invariant($"{lon - 0.0005},{lat - 0.0005},{lon + 0.0005},{lat + 0.0005}");
        var inBox = await JsonAsync(client, $"/ogc/collections/shelters/items?bbox={box}&limit=100");
        var ids = inBox.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToArray();
        Assert.Contains("takahata-shelter-09", ids);
        Assert.True(ids.Length < 5, $"a box of 100 m held {ids.Length} shelters");
        var open = inBox.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "takahata-shelter-09").GetProperty("properties");
        Assert.True(open.GetProperty("open").GetBoolean());
        Assert.Equal(12, open.GetProperty("occupancy").GetInt32());

        var far = await JsonAsync(client, "/ogc/collections/shelters/items?bbox=135.0,35.0,135.1,35.1");
        Assert.Equal(0, far.GetProperty("numberMatched").GetInt64());

        // Shelters' time is their last change of status: only the one opened now has any.
        var since = Uri.EscapeDataString(opened.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        var recent = await JsonAsync(client, $"/ogc/collections/shelters/items?datetime={since}/..&limit=100");
        Assert.Equal(["takahata-shelter-09"], recent.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        var before = Uri.EscapeDataString(opened.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        Assert.Equal(0, (await JsonAsync(client, $"/ogc/collections/shelters/items?datetime=../{before}")).GetProperty("numberMatched").GetInt64());
        // Geodata has no time: datetime does not filter it.
        var districts = await _app.Database.ScalarAsync<long>("SELECT count(*) FROM districts");
        Assert.Equal(districts, (await JsonAsync(client, $"/ogc/collections/districts/items?datetime=../{before}")).GetProperty("numberMatched").GetInt64());
    }

    [Theory]
    [InlineData("/ogc/collections/shelters/items?limit=0", "limit")]
    [InlineData("/ogc/collections/shelters/items?limit=10001", "limit")]
    [InlineData("/ogc/collections/shelters/items?bbox=1,2,3", "bbox")]
    [InlineData("/ogc/collections/shelters/items?datetime=tomorrow", "datetime")]
    [InlineData("/ogc/collections/shelters/items?name=x", "name")]
    [InlineData("/ogc/collections/shelters/items?f=xml", "f")]
    [InlineData("/ogc/collections?limit=5", "limit")]
    [InlineData("/ogc?crs=EPSG:4326", "crs")]
    public async Task A_bad_parameter_is_a_400_problem_naming_it(string path, string parameter)
    {
        using var client = _app.Client();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_feature_by_id_unknown_ones_are_404_and_an_unchanged_answer_is_a_304()
    {
        using var client = _app.Client();
        var feature = await JsonAsync(client, "/ogc/collections/districts/items/district-yashiro");
        Assert.Equal("district-yashiro", feature.GetProperty("id").GetString());
        Assert.Equal("MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Contains(Links(feature), l => l.Rel == "collection");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ogc/collections/districts/items/nowhere")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ogc/collections/nothing/items")).StatusCode);

        var first = await client.GetAsync("/ogc/collections/districts/items?limit=3");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ogc/collections/districts/items?limit=3");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        // A change of the situation is a new version.
        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level",
            new { level = 4, decidedBy = "本部長", reason = "氾濫危険水位" })).StatusCode);
        await Eventually.TrueAsync(async () =>
        {
            using var later = new HttpRequestMessage(HttpMethod.Get, "/ogc/collections/districts/items?limit=3");
            later.Headers.IfNoneMatch.Add(etag);
            return (await client.SendAsync(later)).StatusCode == HttpStatusCode.OK;
        }, "the ETag did not move with the situation");
        var levels = await JsonAsync(client, "/ogc/collections/district-levels/items");
        var yashiro = levels.GetProperty("features").EnumerateArray().Single();
        Assert.Equal(4, yashiro.GetProperty("properties").GetProperty("level").GetInt32());
        Assert.False(yashiro.GetProperty("properties").TryGetProperty("decided_by", out _)); // who decided stays with staff
    }

    [Fact]
    public async Task A_browser_gets_HTML_pages_that_link_on_and_f_chooses_either()
    {
        using var client = _app.Client();
        foreach (var path in new[] { "/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/shelters", "/ogc/collections/shelters/items",
                     "/ogc/collections/districts/items/district-yashiro" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<html lang=\"ja\">", html);
            Assert.Contains("/ogc/ogc.css", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("style=", html);
        }

        var items = await client.GetStringAsync("/ogc/collections/shelters/items?f=html&limit=3");
        Assert.Contains("Features 1–3 of", items);
        Assert.Contains("offset=3", items);
        var json = await client.GetAsync("/ogc/collections/shelters/items?f=json");
        Assert.Equal("application/geo+json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", (await client.GetAsync("/ogc/ogc.css")).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Public_reports_are_the_verified_ones_without_who_sent_them_and_staff_see_all()
    {
        using var field = await _app.SignedInClientAsync("field");
        using var hq = await _app.SignedInClientAsync("hq");
        var road = await field.SubmitReportAsync("road_blocked", "serious", "倒木で通れない（山田さん宅前）", 140.19, 38.0);
        var unverified = await field.SubmitReportAsync("flooding", "minor", "道路冠水", 140.2, 38.01);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/reports/{road}/status", new { status = "verified" })).StatusCode);

        using var anonymous = _app.Client();
        var reports = await JsonAsync(anonymous, "/ogc/collections/reports/items?limit=100");
        var feature = Assert.Single(reports.GetProperty("features").EnumerateArray());
        Assert.Equal(road.ToString(), feature.GetProperty("id").GetString());
        var text = feature.GetRawText();
        Assert.DoesNotContain("山田", text);
        Assert.DoesNotContain("field", text);

        var all = await JsonAsync(hq, "/ogc/collections/all-reports/items?limit=100");
        Assert.Equal([road.ToString(), unverified.ToString()], all.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Order());
        Assert.Contains(all.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("reported_by").GetString() == "field");
    }

    [Fact]
    public async Task Gdal_ogr_lists_every_public_collection_and_reads_each_with_the_right_feature_count()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        using var field = await _app.SignedInClientAsync("field");
        var road = await field.SubmitReportAsync("road_blocked", "serious", "倒木", 140.19, 38.0);
        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsJsonAsync($"/api/reports/{road}/status", new { status = "verified" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-wada/evacuation-level",
            new { level = 3, decidedBy = "本部長", reason = "和田川の水位上昇" })).StatusCode);

        var source = $"OAPIF:{new Uri(_app.BaseAddress, "/ogc")}";
        var listing = await OgrInfoAsync("-ro", "-q", source);
        foreach (var id in PublicCollections) Assert.Contains($": {id}", listing);
        Assert.DoesNotContain("all-reports", listing);

        var expected = new Dictionary<string, string>
        {
            ["boundary"] = "SELECT count(*) FROM town_boundaries",
            ["districts"] = "SELECT count(*) FROM districts",
            ["rivers"] = "SELECT count(*) FROM rivers",
            ["flood-zones"] = "SELECT count(*) FROM hazard_zones WHERE hazard = 'flood'",
            ["landslide-zones"] = "SELECT count(*) FROM hazard_zones WHERE hazard = 'landslide'",
            ["stations"] = "SELECT count(*) FROM stations",
            ["shelters"] = "SELECT count(*) FROM shelters",
            ["district-levels"] = "SELECT 1::bigint",
            ["official-warnings"] = "SELECT 0::bigint",
            ["reports"] = "SELECT 1::bigint",
        };
        foreach (var (id, sql) in expected)
        {
            var count = await _app.Database.ScalarAsync<long>(sql);
            // -al reads every feature (GDAL pages through with the next links) and counts them.
            var info = await OgrInfoAsync("-ro", "-al", "-so", "-oo", "PAGE_SIZE=7", source, id);
            Assert.Contains($"Feature Count: {count}", info);
            var read = await OgrInfoAsync("-ro", "-al", "-q", "-oo", "PAGE_SIZE=7", source, id);
            Assert.Equal(count, read.Split('\n').Count(l => l.StartsWith("OGRFeature(", StringComparison.Ordinal)));
        }
    }

    private static async Task<string> OgrInfoAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ogrinfo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"ogrinfo {string.Join(' ', arguments)} failed: {await error}");
        return await output;
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private sealed record LinkRow(string Href, string Rel, string? Type);

    private static IEnumerable<LinkRow> Links(JsonElement resource) =>
        resource.GetProperty("links").EnumerateArray().Select(l =>
            new LinkRow(l.GetProperty("href").GetString()!, l.GetProperty("rel").GetString()!, l.TryGetProperty("type", out var t) ? t.GetString() : null));
}
