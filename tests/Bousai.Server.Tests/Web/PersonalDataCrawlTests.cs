using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bousai.Server.Accounts;
using Bousai.Server.Geodata;
using Bousai.Server.Live;
using Bousai.Server.OgcApi;
using Bousai.Server.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// Nothing personal in anything the public can fetch. Staff with distinctive names work a flood night through the real
/// API (a field report with the reporter's phone and email in its words, an internal note, a hidden photo, a shelter
/// kept, a level issued); then every GET endpoint the app maps is fetched anonymously, with its route parameters
/// filled with the ids of what was seeded, and the public hub's snapshot and events are read raw; no answer may carry a
/// seeded marker. Endpoints added later (the public view's pages and JSON) are crawled without changing this test;
/// one with a route parameter it cannot fill fails it until the parameter is added to <see cref="RouteValues"/>.
/// </summary>
public sealed class PersonalDataCrawlTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string FieldUser = "kito-reiji";
    private const string FieldName = "鬼頭 玲二";
    private const string HqUser = "makabe-fuyumi";
    private const string HqName = "真壁 冬美";
    private const string ShelterUser = "awazu-kengo";
    private const string ShelterName = "粟津 研吾";
    private const string Shelter = "takahata-shelter-09";
    private const string Phone = "080-9876-5432";
    private const string Email = "kito.reiji.home@example.jp";
    private const string InternalNote = "内部メモ 通報者は持病あり 要配慮 crawl-note-5821";
    private const string PublicSummary = "県道 倒木で通行止め";
    private const string District = "district-wada";

    private readonly BousaiApp _app = BousaiApp.OnKestrel();
    private readonly List<string> _crawled = [];
    private readonly List<string> _leaks = [];
    private long _publicReport;
    private long _hiddenReport;
    private byte[] _hiddenPhoto = [];

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private string[] HiddenPhotoPaths =>
    [
        $"/api/reports/{_publicReport}/photos/2", $"/api/reports/{_publicReport}/photos/2/thumbnail",
        $"/api/reports/{_hiddenReport}/photos/1", $"/api/reports/{_hiddenReport}/photos/1/thumbnail",
    ];

    private string[] Markers =>
    [
        FieldUser, FieldName, HqUser, HqName, ShelterUser, ShelterName,
        Phone, Phone.Replace("-", ""), Email, InternalNote, "crawl-note-5821", .. HiddenPhotoPaths,
    ];

    [Fact]
    public async Task No_public_answer_or_hub_message_carries_personal_data()
    {
        await using var liveHub = await RawHubAsync();
        var live = Follow(liveHub, after: null);

        await SeedAsync();
        // The last change seeded is the report's public summary: once a stream has it, it has every public event before.
        await Eventually.TrueAsync(() => Task.FromResult(live.Has(PublicSummary)), "the public hub to relay the seeded changes");
        await using var laterHub = await RawHubAsync();
        var later = Follow(laterHub, after: null);
        await Eventually.TrueAsync(() => Task.FromResult(later.Has(PublicSummary)), "a snapshot with the seeded changes");
        await using var replayHub = await RawHubAsync();
        var replay = Follow(replayHub, after: 0);
        await Eventually.TrueAsync(() => Task.FromResult(replay.Has(PublicSummary)), "the replay of the log from its start");

        foreach (var (name, stream) in new[] { ("live", live), ("snapshot after", later), ("replay from 0", replay) })
        {
            var messages = stream.Messages;
            for (var i = 0; i < messages.Count; i++) Scan($"hub /hubs/public {name} #{i}", messages[i]);
            _crawled.Add($"hub /hubs/public {name}: {messages.Count} messages");
        }

        var answered = await CrawlAsync();

        output.WriteLine($"crawled {_crawled.Count} answers:");
        foreach (var line in _crawled) output.WriteLine("  " + line);
        Assert.True(_leaks.Count == 0, "personal data in public answers:\n" + string.Join('\n', _leaks));
        // The crawl must have reached what matters: the API, the pages, the CAP feed and messages, the layers, the files.
        foreach (var expected in new[] { "/public", "/cap/feed.atom", "/cap/messages/{identifier}.xml", "/api/layers/{layer}",
                     "/api/reports/{reportId:long}/photos/{position:int}", "/opendata/shelters.geojson", "/api/shelters/nearest" })
        {
            Assert.Contains(expected, answered);
        }

        Assert.True(answered.Count(route => !route.Contains('.') || route.StartsWith("/api", StringComparison.Ordinal)) >= 15,
            $"only {answered.Count} anonymous routes answered: {string.Join(", ", answered)}");
        Assert.True(answered.Count(route => route.StartsWith("/assets/", StringComparison.Ordinal)) >= 5, "too few web client files crawled");
    }

    // ------------------------------------------------------------------ seeding, through the API as staff work

    private async Task SeedAsync()
    {
        var accounts = _app.Services.GetRequiredService<StaffAccounts>();
        await accounts.SaveAsync(new NewStaffAccount(FieldUser, FieldName, "field", BousaiApp.Password, []), "test", true, CancellationToken.None);
        await accounts.SaveAsync(new NewStaffAccount(HqUser, HqName, "hq", BousaiApp.Password, []), "test", true, CancellationToken.None);
        await accounts.SaveAsync(new NewStaffAccount(ShelterUser, ShelterName, "shelter", BousaiApp.Password, [Shelter]), "test", true, CancellationToken.None);
        using var field = await _app.SignedInClientAsync(FieldUser);
        using var hq = await _app.SignedInClientAsync(HqUser);
        using var shelter = await _app.SignedInClientAsync(ShelterUser);

        var words = $"倒木 自宅前 連絡は {Phone} か {Email} まで";
        _hiddenPhoto = FieldReportForm.Jpeg(777, 333);
        _publicReport = await SubmitAsync(field, "road_blocked", words, [FieldReportForm.Jpeg(500, 300), _hiddenPhoto]);
        _hiddenReport = await SubmitAsync(field, "flooding", words, [FieldReportForm.Jpeg(640, 320)]);

        await OkAsync(shelter.PutAsJsonAsync($"/api/shelters/{Shelter}/status", new { open = true, occupancy = 37 }));
        await OkAsync(hq.PutAsJsonAsync($"/api/districts/{District}/evacuation-level", new { level = 4, decidedBy = "本部長", reason = "吉野川の水位上昇" }));
        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/alerts", new { kind = "manual", message = "土砂崩れの通報多数" })).StatusCode);

        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{_publicReport}/status", new { status = "verified", comment = $"{HqName} が確認 {Phone}" }));
        await OkAsync(hq.PostAsJsonAsync($"/api/reports/{_publicReport}/assignment", new { assignee = FieldUser }));
        await OkAsync(hq.PutAsJsonAsync($"/api/reports/{_publicReport}/photos/1/public", new { @public = true }));
        // A public photo of a report that is not public stays hidden.
        await OkAsync(hq.PutAsJsonAsync($"/api/reports/{_hiddenReport}/photos/1/public", new { @public = true }));
        await OkAsync(hq.PatchAsJsonAsync($"/api/reports/{_hiddenReport}", new { internalNote = InternalNote }));
        await OkAsync(hq.PatchAsJsonAsync($"/api/reports/{_publicReport}", new { internalNote = InternalNote, publicSummary = PublicSummary }));
    }

    private static async Task<long> SubmitAsync(HttpClient field, string category, string words, byte[][] photos)
    {
        var response = await field.PostReportAsync(FieldReportForm.Report(category, words), [.. photos.Select(p => new PhotoPart(p))]);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reportId"]!.GetValue<long>();
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // ------------------------------------------------------------------ the HTTP crawl

    /// <summary>Values for every route parameter the app has, from what was seeded; a new parameter must be added here.</summary>
    private async Task<Dictionary<string, string[]>> RouteValues(HttpClient anonymous)
    {
        var feed = await anonymous.GetStringAsync("/cap/feed.atom");
        var capMessages = Regex.Matches(feed, @"/cap/messages/([^""<>/]+)\.xml").Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).Distinct().ToArray();
        Assert.True(capMessages.Length > 0, "the CAP feed lists no message after a level was issued and an alert raised");
        // The vector tile the public report lies in at zoom 14 (where tiles hold each report), and the world at zoom 0.
        var (lon, lat) = await _app.Database.PointAsync($"SELECT ST_X(geom), ST_Y(geom) FROM field_reports WHERE id = {_publicReport}");
        var tileX = (int)Math.Floor((lon + 180) / 360 * (1 << 14));
        var tileY = (int)Math.Floor((1 - Math.Log(Math.Tan(lat * Math.PI / 180) + 1 / Math.Cos(lat * Math.PI / 180)) / Math.PI) / 2 * (1 << 14));
        return new Dictionary<string, string[]>
        {
            ["reportId"] = [$"{_publicReport}", $"{_hiddenReport}"],
            ["collectionId"] = [.. OgcCollections.All.Select(c => c.Id)],
            ["featureId"] = [District, $"{_publicReport}", $"{_hiddenReport}", Shelter, BousaiApp.StationGaugeStation],
            ["z"] = ["0", "14"],
            ["x"] = ["0", $"{tileX}"],
            ["y"] = ["0", $"{tileY}"],
            ["position"] = ["1", "2"],
            ["layer"] = [.. MapLayers.All.Select(l => l.Id), "reports", "all-reports"],
            ["shelterId"] = [Shelter],
            ["stationId"] = [BousaiApp.StationGaugeStation],
            ["districtId"] = [District],
            ["identifier"] = capMessages,
            ["documentName"] = ["v1", OgcEndpoints.DocumentName],
            ["recommendationId"] = ["1"],
            ["alertId"] = ["1"],
            ["drillId"] = ["1"],
            ["userName"] = [FieldUser],
            ["path"] = ["public-messages.json", "field-sw.js"],
        };
    }

    /// <summary>Query strings some endpoints need to answer at all (or that change what they show).</summary>
    private static string[] Queries(string route) => route switch
    {
        "/api/shelters/nearest" => ["?lon=140.19&lat=38.0", $"?district={District}"],
        _ when route == "/public" || route.StartsWith("/public/", StringComparison.Ordinal) && !route.EndsWith(".js", StringComparison.Ordinal)
            => ["", $"?district={District}"],
        _ => [""],
    };

    private static bool RequiresAuthorization(Endpoint endpoint, AuthorizationPolicy? fallback) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
        && (endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null
            || endpoint.Metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count > 0 || fallback is not null);

    /// <returns>The routes (patterns) that answered an anonymous GET with a success.</returns>
    private async Task<HashSet<string>> CrawlAsync()
    {
        using var anonymous = new HttpClient(new HttpClientHandler
        {
            UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All,
        }) { BaseAddress = _app.BaseAddress };
        var values = await RouteValues(anonymous);
        var fallback = await _app.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is not { Count: > 0 } methods || methods.Contains(HttpMethods.Get))
            .ToList();

        var answered = new HashSet<string>();
        var seen = new HashSet<string>();
        var unfillable = new List<string>();
        var unanswered = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            // A static file has one endpoint per encoding under the same route: one GET (the client accepts br) is enough.
            if (!seen.Add(route)) continue;
            if (endpoint.Metadata.GetMetadata<HubMetadata>() is not null)
            {
                _crawled.Add($"{route}: a hub, read with the SignalR client");
                continue;
            }

            var urls = Fill(endpoint.RoutePattern, values, out var missing);
            if (missing is not null)
            {
                unfillable.Add($"{route} ({missing})");
                continue;
            }

            var authorized = RequiresAuthorization(endpoint, fallback);
            var successes = 0;
            foreach (var url in urls.SelectMany(u => Queries(route).Select(q => u + q)))
            {
                var response = await anonymous.GetAsync(url);
                var body = await response.Content.ReadAsByteArrayAsync();
                var status = (int)response.StatusCode;
                _crawled.Add($"{url} -> {status}{(authorized ? " (staff only)" : "")}");
                Scan($"GET {url} ({status})", Encoding.UTF8.GetString(body), response);
                if (body.Length > 0 && _hiddenPhoto.Length > 0 && body.AsSpan().IndexOf(_hiddenPhoto.AsSpan(_hiddenPhoto.Length / 2, 64)) >= 0)
                {
                    _leaks.Add($"GET {url}: the bytes of a photo that is not public");
                }

                if (HiddenPhotoPaths.Contains(url) && response.IsSuccessStatusCode)
                {
                    _leaks.Add($"GET {url}: a photo that is not public answered {status}");
                }

                if (authorized && response.IsSuccessStatusCode)
                {
                    _leaks.Add($"GET {url}: staff only, yet answered {status} to an anonymous request");
                }

                if (response.IsSuccessStatusCode) successes++;
            }

            if (!authorized && successes > 0) answered.Add(route);
            if (!authorized && successes == 0) unanswered.Add(route);
        }

        Assert.True(unfillable.Count == 0, "routes with parameters the crawl has no value for (add them to RouteValues): " + string.Join(", ", unfillable));
        Assert.True(unanswered.Count == 0, "anonymous routes that answered no crawled URL with a success: " + string.Join(", ", unanswered));
        return answered;
    }

    /// <summary>Every URL of the pattern with its parameters set to each combination of known values.</summary>
    private static List<string> Fill(RoutePattern pattern, Dictionary<string, string[]> values, out string? missing)
    {
        missing = null;
        var urls = new List<string> { "" };
        foreach (var segment in pattern.PathSegments)
        {
            var texts = new List<string> { "" };
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        texts = [.. texts.Select(t => t + literal.Content)];
                        break;
                    case RoutePatternSeparatorPart separator:
                        texts = [.. texts.Select(t => t + separator.Content)];
                        break;
                    case RoutePatternParameterPart parameter when values.TryGetValue(parameter.Name, out var candidates):
                        texts = [.. texts.SelectMany(t => candidates.Select(c => t + Uri.EscapeDataString(c)))];
                        break;
                    case RoutePatternParameterPart { IsOptional: true } or RoutePatternParameterPart { Default: not null }:
                        break;
                    case RoutePatternParameterPart parameter:
                        missing = parameter.Name;
                        return [];
                }
            }

            urls = [.. urls.SelectMany(u => texts.Select(t => u + "/" + t))];
        }

        return [.. urls.Select(u => u.Length == 0 ? "/" : u)];
    }

    // ------------------------------------------------------------------ the public hub, raw

    private async Task<HubConnection> RawHubAsync()
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(_app.BaseAddress, "/hubs/public")).Build();
        await connection.StartAsync();
        return connection;
    }

    private sealed class RawStream
    {
        private readonly Lock _gate = new();
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages { get { lock (_gate) return [.. _messages]; } }

        /// <summary>Whether any message has this text, as written or JSON-escaped.</summary>
        public bool Has(string text) => Messages.Any(m => JsonUnescaped(m).Contains(text, StringComparison.Ordinal));

        public void Add(JsonElement message)
        {
            lock (_gate) _messages.Add(message.GetRawText());
        }
    }

    /// <summary>The messages as the server wrote them (JSON elements, not records that would drop unknown fields).</summary>
    private static RawStream Follow(HubConnection connection, long? after)
    {
        var stream = new RawStream();
        _ = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<JsonElement>("Follow", after)) stream.Add(message);
        });
        return stream;
    }

    // ------------------------------------------------------------------ markers

    private static string JsonUnescaped(string text) =>
        Regex.Replace(text, @"\\u([0-9a-fA-F]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    private void Scan(string where, string text, HttpResponseMessage? response = null)
    {
        var headers = response is null ? "" : string.Join('\n', response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Set-Cookie").Select(h => h.Key + ": " + string.Join(", ", h.Value)));
        // As written, with JSON's \u escapes undone, and with HTML/XML character references undone.
        var forms = new[]
        {
            text + headers,
            JsonUnescaped(text),
            WebUtility.HtmlDecode(text),
        };
        foreach (var marker in Markers)
        {
            if (forms.Any(form => form.Contains(marker, StringComparison.OrdinalIgnoreCase)))
            {
                _leaks.Add($"{where}: \"{marker}\"");
            }
        }
    }
}
