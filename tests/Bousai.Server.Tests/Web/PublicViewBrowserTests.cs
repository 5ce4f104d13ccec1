using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// The public view as residents get it, in Debian's Chromium against the real server: complete with JavaScript off,
/// live with it on, small before the map, readable at 320 px and 200 % text, and free of serious accessibility
/// faults (axe-core) on every public page in both languages.
/// </summary>
public sealed class PublicViewBrowserTests : IAsyncLifetime
{
    private const string OpenShelter = "takahata-shelter-01";
    private const string FirstViewBudget = "50 KB";
    private const int FirstViewBytes = 50 * 1024;
    private static readonly string[] PublicPages = ["/public", "/public/en", "/public/text", "/public/text/en"];

    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string> { ["Demo:Simulated"] = "true" });
    private Chromium _chromium = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task With_JavaScript_off_at_360_px_the_page_holds_every_item_as_HTML()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{OpenShelter}/status", new { open = true, occupancy = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/official-warnings", new
        {
            kind = "landslide_alert", name = "土砂災害警戒情報", headline = "県からのファクス", issuedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            validUntil = DateTimeOffset.UtcNow.AddDays(1),
        })).StatusCode);
        var counts = await CountsAsync();

        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        });
        var page = _chromium.Logged(await context.NewPageAsync(), "no-js");
        // The server's picture follows the live events: wait until it has the opened shelter.
        await Eventually.TrueAsync(async () =>
        {
            await page.GotoAsync(Url("/public"));
            return await page.Locator($"#shelter-list [data-shelter-id='{OpenShelter}'][data-crowding='available']").CountAsync() == 1;
        }, "the opened shelter on the server-rendered page");

        Assert.Equal("ja", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(counts.Districts, await page.Locator("#level-board [data-district-id][data-level]").CountAsync());
        Assert.Contains("土砂災害警戒情報", await page.Locator("#official-warnings").InnerTextAsync());
        Assert.Contains("公式", await page.Locator("#official-warnings").InnerTextAsync());
        Assert.Equal(counts.Shelters, await page.Locator("#shelter-list [data-shelter-id][data-crowding]").CountAsync());
        // Open first, its band in words as well as colour.
        Assert.Equal(OpenShelter, await page.Locator("#shelter-list [data-shelter-id]").First.GetAttributeAsync("data-shelter-id"));
        var openCard = await page.Locator($"#shelter-list [data-shelter-id='{OpenShelter}']").InnerTextAsync();
        Assert.Contains("開設", openCard);
        Assert.Contains("空いています", openCard);
        Assert.Equal(counts.Stations, await page.Locator("#station-list > li").CountAsync());
        Assert.Contains("最終更新", await page.Locator("#live-status").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#map canvas").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Output("public-no-js-360-ja.png"), FullPage = true });

        // A district picked without JavaScript orders the shelters from it.
        await page.Locator("#nearest select[name='district']").SelectOptionAsync("district-yashiro");
        await page.Locator("#nearest [type='submit']").ClickAsync();
        Assert.Contains("district=district-yashiro", page.Url);
        Assert.Equal(counts.Shelters, await page.Locator("#shelter-list [data-shelter-id]").CountAsync());

        await page.GotoAsync(Url("/public/en"));
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("Updated", await page.Locator("#live-status").InnerTextAsync());
        Assert.Contains("Open", await page.Locator($"#shelter-list [data-shelter-id='{OpenShelter}']").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Output("public-no-js-360-en.png"), FullPage = true });

        await page.GotoAsync(Url("/public/text"));
        var text = await page.Locator("body").InnerTextAsync();
        Assert.Contains("避難所", text);
        Assert.Contains("土砂災害警戒情報", text);
        Assert.Equal(0, await page.Locator("img, svg, script, canvas").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Output("public-text-360-ja.png"), FullPage = true });
    }

    [Fact]
    public async Task With_JavaScript_on_a_shelter_opening_arrives_without_reload_and_the_first_view_stays_small()
    {
        var page = await _chromium.OpenPageAsync(360, 740, "residents");
        // The first view is what the page moves until it is complete (the load event): the HTML with every item in it,
        // its styles and its scripts. The live link, the data the script takes the parts over with, and the map come after.
        var firstView = new List<IRequest>();
        var afterwards = new List<IRequest>();
        var loads = 0;
        page.Load += (_, _) => loads++;
        page.RequestFinished += (_, request) => (loads == 0 ? firstView : afterwards).Add(request);
        await page.GotoAsync(Url("/public"));
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", "public-live");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await _chromium.WaitForAsync(page, $"#shelter-list [data-shelter-id='{OpenShelter}'][data-crowding='closed']", "public-live");

        var (firstBytes, firstLines) = await TransferredAsync(firstView);
        var (laterBytes, laterLines) = await TransferredAsync(afterwards);
        await File.WriteAllTextAsync(Output("public-first-view-bytes.txt"),
            $"first view (until load): {firstBytes} bytes\n{firstLines}\nafter load (live link, data, nothing of the map): {laterBytes} bytes\n{laterLines}\n");
        Assert.True(firstBytes <= FirstViewBytes, $"The first view moved {firstBytes} bytes, over {FirstViewBudget}:\n{firstLines}");
        Assert.Contains(firstView, r => r.Url.EndsWith("/public", StringComparison.Ordinal));
        Assert.Contains(firstView, r => r.ResourceType == "stylesheet");
        Assert.DoesNotContain(firstView.Concat(afterwards), r => r.Url.Contains("/assets/ol", StringComparison.Ordinal));
        Assert.DoesNotContain(firstView, r => r.Url.Contains("signalr", StringComparison.Ordinal));

        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{OpenShelter}/status", new { open = true, occupancy = 10 })).StatusCode);
        await _chromium.WaitForAsync(page, $"#shelter-list [data-shelter-id='{OpenShelter}'][data-crowding='available']", "public-live", timeoutMs: 10_000);
        Assert.Equal(1, loads);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Output("public-live-360-ja.png"), FullPage = true });
    }

    [Fact]
    public async Task Every_public_page_reads_at_320_px_and_at_200_percent_text_without_sideways_scrolling()
    {
        foreach (var path in PublicPages)
        {
            var page = await _chromium.OpenPageAsync(320, 640, "narrow");
            await page.GotoAsync(Url(path));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await AssertNoSidewaysScrollAsync(page, path + " at 320 px");

            var before = await FontSizeAsync(page);
            await page.EvaluateAsync("() => { document.documentElement.style.fontSize = '200%'; }");
            Assert.True(await FontSizeAsync(page) >= before * 1.9, $"{path}: body text does not grow with the text size ({before}px)");
            await AssertNoSidewaysScrollAsync(page, path + " at 200 % text");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Output($"public{path.Replace('/', '-')}-320-200pc.png"), FullPage = true });
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_any_public_page_in_either_language()
    {
        var axe = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "web", "node_modules", "axe-core", "axe.min.js"));
        var found = new List<string>();
        foreach (var path in PublicPages)
        {
            // The page's own CSP forbids injected script; only the scanner is let in.
            await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BypassCSP = true, ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            });
            var page = _chromium.Logged(await context.NewPageAsync(), "axe");
            await page.GotoAsync(Url(path));
            if (!path.Contains("/text", StringComparison.Ordinal))
            {
                await _chromium.WaitForAsync(page, "body[data-live-state='live']", "axe" + path.Replace('/', '-'));
            }

            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = axe });
            var result = await page.EvaluateAsync<JsonElement>(
                "async () => await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })");
            var passes = result.GetProperty("passes").GetArrayLength();
            Assert.True(passes > 10, $"{path}: axe checked almost nothing ({passes} rules passed)");
            foreach (var violation in result.GetProperty("violations").EnumerateArray())
            {
                var impact = violation.GetProperty("impact").GetString();
                if (impact is not ("serious" or "critical")) continue;
                var targets = violation.GetProperty("nodes").EnumerateArray().Take(5)
                    .Select(n => n.GetProperty("target").ToString());
                found.Add($"{path}: {impact} {violation.GetProperty("id").GetString()} — {violation.GetProperty("help").GetString()} at {string.Join(", ", targets)}");
            }
        }

        Assert.True(found.Count == 0, string.Join('\n', found));
    }

    /// <summary>Bytes on the wire (compressed body and headers) of <paramref name="requests"/>, with one line per request.</summary>
    internal static async Task<(long Bytes, string Lines)> TransferredAsync(IEnumerable<IRequest> requests)
    {
        long total = 0;
        var lines = new List<string>();
        foreach (var request in requests)
        {
            var sizes = await request.SizesAsync();
            var bytes = sizes.ResponseBodySize + sizes.ResponseHeadersSize;
            total += bytes;
            lines.Add($"{bytes,8} {request.Url}");
        }

        return (total, string.Join('\n', lines));
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{what}: the page is {widths[0]} px wide in a {widths[1]} px window");
    }

    private static Task<double> FontSizeAsync(IPage page) =>
        page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('main') ?? document.body).fontSize)");

    private async Task<(int Districts, int Shelters, int Stations)> CountsAsync()
    {
        var db = _app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var command = db.CreateCommand(
            "SELECT (SELECT count(*) FROM districts)::int, (SELECT count(*) FROM shelters)::int, (SELECT count(*) FROM stations)::int");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    private static string Output(string file) => Path.Combine(Repository.Output, file);
}
