using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// The crews' phone page in headless Chromium on a 360×740 viewport, against the real server on a loopback port (a
/// service worker needs a real origin): it loads offline once visited, keeps a report made offline through a reload and
/// a closed page, delivers it exactly once when the network returns, and shows a server refusal without retrying it.
/// </summary>
public sealed class FieldPageBrowserTests : IAsyncLifetime
{
    /// <summary>Inside the town, as a crew's GPS reports it.</summary>
    private static readonly Geolocation InTown = new() { Latitude = 38.0105f, Longitude = 140.2012f, Accuracy = 35 };

    /// <summary>Tokyo: far outside the town's service area, which only the server (PostGIS) knows.</summary>
    private static readonly Geolocation FarAway = new() { Latitude = 35.6812f, Longitude = 139.7671f, Accuracy = 12 };

    private const string Markup = "<img src=x onerror=\"document.body.dataset.injected='yes'\"> 県道が冠水、車両通行不可";

    private readonly BousaiApp _app = BousaiApp.OnKestrel();
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
    public async Task A_report_made_offline_survives_a_reload_and_a_closed_page_and_arrives_once_with_its_photo_when_back_online()
    {
        await using var context = await PhoneAsync(InTown);
        var page = await SignedInFieldPageAsync(context, "field-offline");

        await context.SetOfflineAsync(true);
        var reloaded = await page.ReloadAsync();
        // Offline: the page, its scripts and the town's boundary come from the service worker's caches.
        Assert.Equal("1", await reloaded!.HeaderValueAsync("X-Bousai-From-Cache"));
        await _chromium.WaitForAsync(page, "#net-status[data-online='false']", "field-offline");
        await _chromium.WaitForMapAsync(page, "field-offline");
        await _chromium.WaitForAsync(page, "#location-field[data-location='gps']", "field-offline");
        Assert.Contains("±35 m", await page.Locator("#location-field").InnerTextAsync());
        await page.Locator("#tab-mine").ClickAsync();
        await _chromium.WaitForAsync(page, "#my-reports-host .list-note", "field-offline");
        Assert.Contains("オフラインのため、最後に読み込んだ内容を表示しています。", await page.Locator("#my-reports-host").InnerTextAsync());
        await page.Locator("#tab-new").ClickAsync();

        await FillReportAsync(page, "道路通行止め", "緊急（命に関わる）", Markup);
        await AddPhotoAsync(page, 3000, 2000);
        await ScreenshotAsync(page, "field-offline-form");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "送信する" }).ClickAsync();

        var waiting = page.Locator("#outbox-list li[data-state='waiting']");
        await _chromium.WaitForAsync(page, "#outbox-list li[data-state='waiting'][data-attempts='1']", "field-offline");
        var clientId = await waiting.GetAttributeAsync("data-client-id");
        Assert.True(Guid.TryParse(clientId, out _), clientId);
        Assert.Contains("送信待ち", await waiting.InnerTextAsync());
        Assert.Contains("電波がありません", await waiting.InnerTextAsync());
        Assert.DoesNotContain("送信済み", await page.Locator("#outbox-host").InnerTextAsync());
        await AssertInertAsync(page, waiting);
        await ScreenshotAsync(page, "field-offline-outbox-waiting");

        // The tab closes; a new one opens, still without network: the report is still there, still waiting.
        await page.CloseAsync();
        page = _chromium.Logged(await context.NewPageAsync(), "field-reopened");
        await page.GotoAsync(new Uri(_app.BaseAddress, "/field").ToString());
        await page.Locator("#tab-outbox").ClickAsync();
        var item = $"#outbox-list li[data-client-id='{clientId}']";
        await _chromium.WaitForAsync(page, item + "[data-state='waiting']", "field-reopened");
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM field_reports WHERE client_id = '{clientId}'"));

        await context.SetOfflineAsync(false);
        await _chromium.WaitForAsync(page, item + "[data-state='sent']", "field-reopened");
        var reportId = long.Parse((await page.Locator(item).GetAttributeAsync("data-report-id"))!);
        Assert.Contains($"受付番号 #{reportId}", await page.Locator(item).InnerTextAsync());
        await ScreenshotAsync(page, "field-outbox-sent");

        // Exactly one report with that clientId, with its one photo, shrunk on the phone.
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM field_reports WHERE client_id = '{clientId}'"));
        Assert.Equal(reportId, await CountAsync($"SELECT id FROM field_reports WHERE client_id = '{clientId}'"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM field_report_photos WHERE report_id = {reportId}"));
        using var hq = await _app.SignedInClientAsync("hq");
        var report = await hq.GetFromJsonAsync<JsonElement>($"/api/reports/{reportId}");
        Assert.Equal(clientId, report.GetProperty("clientId").GetString());
        Assert.Equal("road_blocked", report.GetProperty("category").GetString());
        Assert.Equal("critical", report.GetProperty("severity").GetString());
        Assert.Equal(Markup, report.GetProperty("description").GetString());
        Assert.Equal(35, report.GetProperty("accuracyMetres").GetDouble(), 1);
        var photo = Assert.Single(report.GetProperty("photos").EnumerateArray());
        Assert.Equal(1600, photo.GetProperty("width").GetInt32());
        Assert.Equal(1067, photo.GetProperty("height").GetInt32());
        var full = await hq.GetAsync($"/api/reports/{reportId}/photos/{photo.GetProperty("position").GetInt32()}");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("image/jpeg", full.Content.Headers.ContentType?.MediaType);

        // "My reports" shows it with the state HQ gave it, and the text stays text there too.
        await page.Locator("#tab-mine").ClickAsync();
        var mine = page.Locator($"#my-reports li[data-report-id='{reportId}']");
        await _chromium.WaitForAsync(page, $"#my-reports li[data-report-id='{reportId}'][data-status='new']", "field-mine");
        await AssertInertAsync(page, mine);

        // HQ's decision arrives live, with its reason.
        var rejected = await hq.PostAsJsonAsync($"/api/reports/{reportId}/status",
            new { status = "rejected", reason = "同じ場所の報告 #12 で対応済み", comment = "重複の可能性" });
        Assert.True(rejected.IsSuccessStatusCode, await rejected.Content.ReadAsStringAsync());
        await _chromium.WaitForAsync(page, $"#my-reports li[data-report-id='{reportId}'][data-status='rejected']", "field-mine");
        Assert.Contains("却下の理由：同じ場所の報告 #12 で対応済み", await mine.InnerTextAsync());
        await ScreenshotAsync(page, "field-my-reports");
    }

    [Fact]
    public async Task A_report_the_server_refuses_shows_the_servers_reason_and_is_not_sent_again_until_corrected()
    {
        await using var context = await PhoneAsync(FarAway);
        var posts = new List<string>();
        context.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == "/api/reports") posts.Add(request.Url);
        };
        var page = await SignedInFieldPageAsync(context, "field-refused");
        await _chromium.WaitForAsync(page, "#location-field[data-location='gps']", "field-refused");

        await FillReportAsync(page, "冠水・浸水", "重大", "道路冠水");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "送信する" }).ClickAsync();

        var failed = page.Locator("#outbox-list li[data-state='failed']");
        await _chromium.WaitForAsync(page, "#outbox-list li[data-state='failed'][data-attempts='1']", "field-refused");
        var text = await failed.InnerTextAsync();
        Assert.Contains("受け付けられませんでした", text);
        Assert.Contains("サーバーからの理由（400）", text);
        // The server names the field it refused: the page says it in the crew's words.
        Assert.Contains("場所", await failed.Locator(".problem").InnerTextAsync());
        Assert.DoesNotContain("送信済み", text);
        await ScreenshotAsync(page, "field-refused");

        // Going offline and online again, a reload, and longer than the first retry would wait: no second POST.
        await context.SetOfflineAsync(true);
        await context.SetOfflineAsync(false);
        await page.ReloadAsync();
        await page.Locator("#tab-outbox").ClickAsync();
        await _chromium.WaitForAsync(page, "#outbox-list li[data-state='failed'][data-attempts='1']", "field-refused");
        await page.WaitForTimeoutAsync(7_000);
        Assert.Single(posts);
        Assert.Equal("1", await page.Locator("#outbox-list li[data-state='failed']").GetAttributeAsync("data-attempts"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM field_reports"));

        // Corrected (a place in the town tapped on the map) and resent under the same clientId: it arrives.
        var clientId = await failed.GetAttributeAsync("data-client-id");
        await failed.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "修正して再送" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#report-form[data-editing='{clientId}']", "field-refused");
        var map = page.Locator("#location-map");
        await map.ScrollIntoViewIfNeededAsync();
        var box = (await map.BoundingBoxAsync())!;
        await map.ClickAsync(new LocatorClickOptions { Position = new Position { X = box.Width / 2, Y = box.Height / 2 } });
        // The map shows the town: its middle is well inside the service area.
        await _chromium.WaitForAsync(page, "#location-field[data-location='map'] .location-coords:text-matches('^3[78]\\.')", "field-refused");
        await ScreenshotAsync(page, "field-refused-correcting");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "修正して送信する" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#outbox-list li[data-client-id='{clientId}'][data-state='sent']", "field-refused");
        Assert.Equal(2, posts.Count);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM field_reports WHERE client_id = '{clientId}' AND accuracy_m IS NULL"));
    }

    /// <summary>A phone: 360×740, its GPS at <paramref name="where"/>, set to another time zone than Japan's (the page enters Japan time whatever the phone's zone).</summary>
    private Task<IBrowserContext> PhoneAsync(Geolocation where) => _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        Geolocation = where,
        Permissions = ["geolocation"],
        TimezoneId = "Europe/London",
        Locale = "ja-JP",
    });

    /// <summary>Signs in as the field crew and opens /field until its service worker controls it (the page will then load offline).</summary>
    private async Task<IPage> SignedInFieldPageAsync(IBrowserContext context, string name)
    {
        var page = _chromium.Logged(await context.NewPageAsync(), name);
        await Chromium.SignInAsync(page, _app, "field");
        await page.WaitForURLAsync(url => !url.Contains("/login"));
        await page.GotoAsync(new Uri(_app.BaseAddress, "/field").ToString());
        try
        {
            await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, name + "-no-service-worker");
            Assert.Fail("the service worker never took control of /field.\n" + string.Join("\n", _chromium.Log));
        }

        await _chromium.WaitForMapAsync(page, name);
        return page;
    }

    private static async Task FillReportAsync(IPage page, string category, string severity, string description)
    {
        await page.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = category, Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = severity, Exact = true }).CheckAsync();
        await page.GetByLabel("詳しい状況（任意）").FillAsync(description);
    }

    /// <summary>A camera-sized JPEG, made by the browser itself, picked in the photo input.</summary>
    private async Task AddPhotoAsync(IPage page, int width, int height)
    {
        var base64 = await page.EvaluateAsync<string>("""
            ([w, h]) => {
              const canvas = document.createElement('canvas');
              canvas.width = w;
              canvas.height = h;
              const g = canvas.getContext('2d');
              const gradient = g.createLinearGradient(0, 0, w, h);
              gradient.addColorStop(0, '#3a7bd5');
              gradient.addColorStop(1, '#8e5a2b');
              g.fillStyle = gradient;
              g.fillRect(0, 0, w, h);
              return canvas.toDataURL('image/jpeg', 0.92).split(',')[1];
            }
            """, new[] { width, height });
        await page.Locator("#photos-field input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "IMG_0001.jpg",
            MimeType = "image/jpeg",
            Buffer = Convert.FromBase64String(base64),
        });
        await _chromium.WaitForAsync(page, "#photos-field[data-photo-count='1'][data-processing='0']", "field-photo");
    }

    /// <summary>The markup in the report's text is shown as text: no element made of it, nothing run.</summary>
    private static async Task AssertInertAsync(IPage page, ILocator item)
    {
        Assert.Contains("<img src=x onerror=", await item.InnerTextAsync());
        Assert.Equal(0, await item.Locator("img[src='x']").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => document.body.dataset.injected ?? null"));
    }

    private Task<long> CountAsync(string sql) => _app.Database.ScalarAsync<long>(sql);

    /// <summary>What the phone's screen shows (the tab bar and the send button stay fixed at its foot).</summary>
    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, name + ".png") });
}
