using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bousai.Server.Tests.Support;
using Bousai.Testing.Push;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// Residents' notifications in Debian's Chromium against the real server: the opt-in on the public page (small first
/// view kept), and the public service worker showing a push message the server really sent, through a push service
/// played on loopback. Headless Chromium cannot subscribe to a real push service, so the message is handed to the
/// service worker through the DevTools protocol; the page's own subscribing is covered by the web unit tests.
/// </summary>
public sealed class NotificationBrowserTests : IAsyncLifetime
{
    private const string Yashiro = "district-yashiro";
    private const int FirstViewBytes = 50 * 1024;

    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string> { ["Notifications:AllowLoopbackServices"] = "true" });
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

    [Theory]
    [InlineData("/public", "ja", "地区", "通知を受け取る")]
    [InlineData("/public/en", "en", "Districts", "Get notifications")]
    public async Task At_360_px_the_opt_in_lists_the_districts_and_the_first_view_stays_within_its_budget(string path, string lang, string legend,
        string button)
    {
        var page = await _chromium.OpenPageAsync(360, 740, "opt-in-" + lang);
        var firstView = new List<IRequest>();
        var afterwards = new List<IRequest>();
        var loads = 0;
        page.Load += (_, _) => loads++;
        page.RequestFinished += (_, request) => (loads == 0 ? firstView : afterwards).Add(request);
        await page.GotoAsync(Url(path));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var (firstBytes, firstLines) = await PublicViewBrowserTests.TransferredAsync(firstView);
        Assert.True(firstBytes <= FirstViewBytes, $"The first view moved {firstBytes} bytes, over 50 KB:\n{firstLines}");
        Assert.DoesNotContain(firstView, r => r.Url.Contains("/assets/optIn", StringComparison.Ordinal));

        var open = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = button, Exact = true });
        Assert.True(await open.IsVisibleAsync(), "the opt-in button is not shown");
        await open.ClickAsync();
        await _chromium.WaitForAsync(page, "#notify-panel input[name='district']", "opt-in-" + lang);

        var districts = page.GetByRole(AriaRole.Group, new PageGetByRoleOptions { Name = legend, Exact = true }).GetByRole(AriaRole.Checkbox);
        Assert.Equal(6, await districts.CountAsync());
        Assert.True(await page.Locator("#notify-panel input[name='town']").IsCheckedAsync(), "the town's warnings are not on by default");
        Assert.False(await page.Locator("#notify-panel input[name='drills']").IsCheckedAsync(), "drills are on by default");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.classList.contains('notify-lead') === true"),
            "the focus did not move into the form");
        Assert.Contains(afterwards, r => r.Url.Contains("/assets/optIn", StringComparison.Ordinal));
        Assert.DoesNotContain(firstView.Concat(afterwards), r => r.Url.Contains("/assets/ol", StringComparison.Ordinal));
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the page is {widths[0]} px wide in a {widths[1]} px window");

        await page.Locator("#notify").ScrollIntoViewIfNeededAsync();
        await page.Locator("#notify").ScreenshotAsync(new LocatorScreenshotOptions { Path = Output($"notify-opt-in-360-{lang}.png") });
    }

    [Theory]
    [InlineData("/public", "ja", "通知を受け取る")]
    [InlineData("/public/en", "en", "Get notifications")]
    public async Task The_open_form_reads_at_320_px_and_200_percent_text_and_axe_finds_no_serious_fault(string path, string lang, string button)
    {
        var axe = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "web", "node_modules", "axe-core", "axe.min.js"));
        // The page's own CSP forbids injected script; only the scanner is let in.
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BypassCSP = true, ViewportSize = new ViewportSize { Width = 320, Height = 640 },
        });
        var page = _chromium.Logged(await context.NewPageAsync(), "axe-notify");
        await page.GotoAsync(Url(path));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = button, Exact = true }).ClickAsync();
        await _chromium.WaitForAsync(page, "#notify-panel input[name='district']", "axe-notify-" + lang);
        await page.Locator("#notify-panel summary").ClickAsync();

        await page.EvaluateAsync("() => { document.documentElement.style.fontSize = '200%'; }");
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{path} with the form open at 200 % text: {widths[0]} px wide in a {widths[1]} px window");
        await page.Locator("#notify-panel fieldset").First.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Output($"notify-opt-in-320-200pc-{lang}.png") });

        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = axe });
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => await axe.run('#notify', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })");
        Assert.True(result.GetProperty("passes").GetArrayLength() > 5, "axe checked almost nothing");
        var serious = result.GetProperty("violations").EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} at "
                         + string.Join(", ", v.GetProperty("nodes").EnumerateArray().Take(5).Select(n => n.GetProperty("target").ToString())))
            .ToList();
        Assert.True(serious.Count == 0, string.Join('\n', serious));
    }

    [Fact]
    public async Task With_JavaScript_off_the_page_says_that_notifications_need_it()
    {
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        });
        var page = _chromium.Logged(await context.NewPageAsync(), "no-js");

        await page.GotoAsync(Url("/public"));
        Assert.Contains("JavaScriptが使えるブラウザ", await page.Locator("#notify").InnerTextAsync());
        Assert.False(await page.Locator("#notify-open").IsVisibleAsync());
        await page.GotoAsync(Url("/public/en"));
        Assert.Contains("browser with JavaScript", await page.Locator("#notify").InnerTextAsync());
        Assert.Equal("/public-app-en.webmanifest", await page.Locator("link[rel='manifest']").GetAttributeAsync("href"));
    }

    [Fact]
    public async Task The_service_worker_shows_the_push_message_the_server_sent_for_a_district_level()
    {
        await using var push = await LoopbackPushService.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = _app.BaseAddress };
        push.ServerKey = (await anonymous.GetFromJsonAsync<JsonElement>("/public/notifications/key")).GetProperty("publicKey").GetString();
        var (endpoint, keys) = push.Subscribe("phone");

        var origin = _app.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 }, Permissions = ["notifications"],
        });
        var page = _chromium.Logged(await context.NewPageAsync(), "push");
        var cdp = await context.NewCDPSessionAsync(page);
        var registrations = new List<(string Id, string Scope, bool Deleted)>();
        cdp.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, update) =>
        {
            foreach (var r in update!.Value.GetProperty("registrations").EnumerateArray())
            {
                lock (registrations) registrations.Add((r.GetProperty("registrationId").GetString()!, r.GetProperty("scopeURL").GetString()!, r.GetProperty("isDeleted").GetBoolean()));
            }
        };
        await cdp.SendAsync("ServiceWorker.enable");

        // The resident opts in with the form: the permission is granted and the page registers /public-sw.js (the
        // browser's own push subscription cannot be made headless; the form says so).
        await page.GotoAsync(Url("/public"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "通知を受け取る", Exact = true }).ClickAsync();
        await page.Locator("#notify-panel").GetByLabel("屋代地区", new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await page.Locator("#notify-form [type='submit']").ClickAsync();
        Assert.Equal("granted", await page.EvaluateAsync<string>("() => Notification.permission"));
        await _chromium.WaitForAsync(page, "#notify-panel [role='alert']", "push-form");
        Assert.Contains("この端末を通知に登録できませんでした", await page.Locator("#notify-panel [role='alert']").InnerTextAsync());
        await page.Locator("#notify").ScreenshotAsync(new LocatorScreenshotOptions { Path = Output("notify-no-push-service-360-ja.png") });
        Assert.Equal(Url("/public-sw.js"), await page.EvaluateAsync<string>(
            "async () => (await navigator.serviceWorker.ready).active.scriptURL"));
        Assert.Equal(Url("/public"), await page.EvaluateAsync<string>("async () => (await navigator.serviceWorker.ready).scope"));

        // The subscription the push service made for "phone", sent as the page sends it.
        var status = await page.EvaluateAsync<int>("""
            async (body) => (await fetch('/public/notifications/subscription', {
              method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status
            """, new
        {
            endpoint = endpoint.ToString(), keys = new { p256dh = keys.P256dh, auth = keys.Auth }, language = "ja", districts = new[] { Yashiro },
            shelters = Array.Empty<string>(), townWarnings = false, drills = false,
        });
        Assert.Equal(200, status);

        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/districts/{Yashiro}/evacuation-level",
            new { level = 4, decidedBy = "本部長", reason = "屋代川が氾濫危険水位を超えた" })).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(push.For("phone").Count > 0), "the push message at the push service");
        Assert.Empty(push.Refusals);
        var text = push.For("phone").Single().Text!;
        var payload = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Contains("屋代", payload.GetProperty("title").GetString());
        Assert.Contains("警戒レベル4", payload.GetProperty("title").GetString());

        string registrationId;
        lock (registrations) registrationId = registrations.Last(r => r.Scope == Url("/public") && !r.Deleted).Id;
        await cdp.SendAsync("ServiceWorker.deliverPushMessage", new Dictionary<string, object>
        {
            ["origin"] = origin, ["registrationId"] = registrationId, ["data"] = text,
        });

        const string shown = """
            async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
              title: n.title, body: n.body, icon: n.icon, badge: n.badge, tag: n.tag, lang: n.lang, url: n.data?.url,
              requireInteraction: n.requireInteraction }))
            """;
        JsonElement notifications = default;
        await Eventually.TrueAsync(async () =>
        {
            notifications = await page.EvaluateAsync<JsonElement>(shown);
            return notifications.GetArrayLength() > 0;
        }, "the notification shown by the service worker");
        var notification = notifications.EnumerateArray().Single();
        Assert.Equal(payload.GetProperty("title").GetString(), notification.GetProperty("title").GetString());
        Assert.Equal(payload.GetProperty("body").GetString(), notification.GetProperty("body").GetString());
        Assert.Equal(payload.GetProperty("tag").GetString(), notification.GetProperty("tag").GetString());
        Assert.Equal($"district:{Yashiro}", notification.GetProperty("tag").GetString());
        Assert.Equal(payload.GetProperty("url").GetString(), notification.GetProperty("url").GetString());
        Assert.Equal(Url(payload.GetProperty("icon").GetString()!), notification.GetProperty("icon").GetString());
        Assert.Equal(Url("/notifications/level-4.png"), notification.GetProperty("icon").GetString());
        Assert.Equal(Url("/notifications/badge.png"), notification.GetProperty("badge").GetString());
        Assert.Equal("ja", notification.GetProperty("lang").GetString());
        Assert.True(notification.GetProperty("requireInteraction").GetBoolean(), "a level-4 notice does not stay on screen");

        // The icon it names is served.
        var icon = await anonymous.GetAsync(payload.GetProperty("icon").GetString());
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/png", icon.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_resident_opts_in_with_the_form_is_told_changes_the_choice_and_stops()
    {
        await using var push = await LoopbackPushService.StartAsync();
        var (endpoint, keys) = push.Subscribe("phone");
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 }, Permissions = ["notifications"],
        });
        // Headless Chromium has no push service: this page's PushManager hands out the loopback service's subscription
        // instead (kept across reloads as a browser keeps its own). Everything else is the page's and the server's.
        await context.AddInitScriptAsync(StandInPushManager(endpoint, keys));
        var page = _chromium.Logged(await context.NewPageAsync(), "opt-in-flow");
        var panel = page.Locator("#notify-panel");
        await page.GotoAsync(Url("/public"));

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "通知を受け取る", Exact = true }).ClickAsync();
        await panel.GetByLabel("屋代地区", new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await panel.Locator("summary").ClickAsync();
        await panel.Locator("input[name='shelter']").First.CheckAsync();
        await page.Locator("#notify-form [type='submit']").ClickAsync();
        await _chromium.WaitForAsync(page, "#notify-panel[data-stage='subscribed']", "opt-in-flow");
        Assert.Contains("この端末で通知を受け取っています。", await panel.InnerTextAsync());
        Assert.Contains("屋代地区", await panel.Locator(".notify-summary").InnerTextAsync());
        await page.Locator("#notify").ScreenshotAsync(new LocatorScreenshotOptions { Path = Output("notify-subscribed-360-ja.png") });

        // What the form sent reaches the phone: a level for the district it chose.
        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/districts/{Yashiro}/evacuation-level",
            new { level = 3, decidedBy = "本部長", reason = "屋代川の水位上昇" })).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(push.For("phone").Count > 0), "the notice at the push service");
        Assert.Contains("屋代", push.For("phone")[0].Text);

        // Back on the page later, it shows what this phone is told of without being asked.
        await page.ReloadAsync();
        await _chromium.WaitForAsync(page, "#notify-panel[data-stage='subscribed']", "opt-in-flow-reload");
        Assert.True(await page.Locator("#notify-open").IsHiddenAsync(), "the opt-in button shows beside the subscription");

        await panel.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "変更", Exact = true }).ClickAsync();
        await panel.GetByLabel("屋代地区", new LocatorGetByLabelOptions { Exact = true }).UncheckAsync();
        await panel.GetByLabel("和田地区", new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await panel.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "変更を保存", Exact = true }).ClickAsync();
        await _chromium.WaitForAsync(page, "#notify-panel .notify-done", "opt-in-flow-change");
        Assert.Contains("通知の設定を変更しました。", await panel.InnerTextAsync());
        var summary = await panel.Locator(".notify-summary").InnerTextAsync();
        Assert.Contains("和田地区", summary);
        Assert.DoesNotContain("屋代地区", summary);

        await panel.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "通知をやめる", Exact = true }).ClickAsync();
        await _chromium.WaitForAsync(page, "#notify-panel[data-stage='stopped']", "opt-in-flow-stop");
        Assert.True(await page.EvaluateAsync<bool>("() => sessionStorage.getItem('stand-in-unsubscribed') === 'true'"), "the browser's subscription was kept");
        using var anonymous = new HttpClient { BaseAddress = _app.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/public/notifications/subscription/lookup", new { endpoint = endpoint.ToString() })).StatusCode);

        // And in English, from the English page.
        await page.GotoAsync(Url("/public/en"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Get notifications", Exact = true }).ClickAsync();
        await panel.GetByLabel("Takahata district", new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await page.Locator("#notify-form [type='submit']").ClickAsync();
        await _chromium.WaitForAsync(page, "#notify-panel[data-stage='subscribed']", "opt-in-flow-en");
        Assert.Contains("English", await panel.Locator(".notify-summary").InnerTextAsync());
        await page.Locator("#notify").ScreenshotAsync(new LocatorScreenshotOptions { Path = Output("notify-subscribed-360-en.png") });
    }

    [Theory]
    [InlineData("/public", "ja", "ホーム画面に追加")]
    [InlineData("/public/en", "en", "Add to Home Screen")]
    public async Task On_an_iPhone_outside_the_home_screen_app_the_opt_in_says_how_to_add_it(string path, string lang, string words)
    {
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        });
        var page = _chromium.Logged(await context.NewPageAsync(), "iphone");
        await page.GotoAsync(Url(path));

        await page.Locator("#notify-open").ClickAsync();
        await _chromium.WaitForAsync(page, "#notify-panel[data-stage='home-screen']", "iphone-" + lang);

        Assert.Contains(words, await page.Locator("#notify-panel .notify-cannot").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#notify-panel form").CountAsync());
        Assert.Equal(Url("/icons/apple-touch-icon.png"), await page.EvaluateAsync<string>("() => document.querySelector('link[rel=apple-touch-icon]').href"));
        await page.Locator("#notify").ScreenshotAsync(new LocatorScreenshotOptions { Path = Output($"notify-iphone-360-{lang}.png") });
    }

    /// <summary>A PushManager whose subscription is the loopback push service's, remembered for the tab (sessionStorage).</summary>
    private static string StandInPushManager(Uri endpoint, PushSubscriberKeys keys) =>
        $$"""
        (() => {
          const held = { endpoint: {{JsonSerializer.Serialize(endpoint.ToString())}}, keys: { p256dh: '{{keys.P256dh}}', auth: '{{keys.Auth}}' } };
          const subscription = {
            endpoint: held.endpoint,
            options: { applicationServerKey: null, userVisibleOnly: true },
            toJSON: () => ({ endpoint: held.endpoint, expirationTime: null, keys: held.keys }),
            unsubscribe: async () => {
              sessionStorage.setItem('stand-in-subscribed', 'false');
              sessionStorage.setItem('stand-in-unsubscribed', 'true');
              return true;
            },
          };
          PushManager.prototype.subscribe = async function () {
            sessionStorage.setItem('stand-in-subscribed', 'true');
            return subscription;
          };
          PushManager.prototype.getSubscription = async function () {
            return sessionStorage.getItem('stand-in-subscribed') === 'true' ? subscription : null;
          };
        })();
        """;

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    private static string Output(string file) => Path.Combine(Repository.Output, file);
}
