using System.Net;
using System.Net.Http.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// HQ edits a shelter's registry, declares a flood and sees which shelters are not suitable and why, watches a
/// shelter's head count chart; a resident's phone lists the nearest open suitable shelters, in headless Chromium.
/// </summary>
public sealed class ShelterRegistryBrowserTests : IAsyncLifetime
{
    // 和田小学校 (designated for floods, outside the flood zones), 和田地区公民館 (its flood designation is taken away
    // below) and 町営第二体育館 (landslide only, inside the 和田川 flood zone), a few hundred metres apart.
    private const string Wada = "takahata-shelter-05";
    private const string WadaHall = "takahata-shelter-06";
    private const string Gym = "takahata-shelter-07";

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
    public async Task HQ_edits_a_registry_declares_a_flood_sees_unsuitable_shelters_with_reasons_and_a_head_count_chart_and_residents_get_the_nearest_suitable_ones()
    {
        var page = await _chromium.OpenPageAsync(1366, 768, "hq");
        await Chromium.SignInAsync(page, _app, "hq");
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", "registry-hq");
        await _chromium.WaitForAsync(page, $"#shelter-list [data-shelter-id='{WadaHall}']", "registry-hq");

        // The registry: a confirmed capacity, and no longer designated for floods.
        await page.Locator($"#shelter-list [data-shelter-id='{WadaHall}'] button").ClickAsync();
        var registry = page.Locator($"#registry-form-{WadaHall}");
        await registry.WaitForAsync();
        await registry.GetByLabel("収容人数（人）").FillAsync("130");
        await registry.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "確認済み", Exact = true }).CheckAsync();
        await registry.GetByRole(AriaRole.Checkbox, new LocatorGetByRoleOptions { Name = "洪水", Exact = true }).UncheckAsync();
        await registry.GetByLabel("連絡先（職員向け）").FillAsync("館長 内線 123");
        await registry.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "登録情報を保存" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#registry-form-{WadaHall} .form-done", "registry-hq");
        Assert.Equal("130:False", await _app.Database.ScalarAsync<string>(
            $"SELECT capacity || ':' || CASE WHEN capacity_assumed THEN 'True' ELSE 'False' END FROM shelters WHERE id = '{WadaHall}'"));
        await _chromium.WaitForAsync(page, "#details-body dd:text-is('130人')", "registry-hq");
        Assert.Equal(1L, await _app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE entity_id = '{WadaHall}' AND actor = 'hq'"));

        // HQ declares a flood with a reason: the panel says what makes it active.
        var flood = page.Locator("#hazard-flood");
        await flood.GetByLabel("宣言の理由（必須）").FillAsync("屋代川・和田川の増水で本部判断");
        await flood.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "洪水を本部として宣言する" }).ClickAsync();
        await _chromium.WaitForAsync(page, "#hazard-panel [data-hazard='flood'][data-active='true']", "registry-hq");
        Assert.Contains("屋代川・和田川の増水で本部判断", await page.Locator("#hazard-panel [data-hazard='flood']").InnerTextAsync());
        await page.Locator("#hazard-panel").ScrollIntoViewIfNeededAsync();
        await page.Locator("#sidebar").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", "hazard-panel-hq.png") });

        // Shelters not designated for floods, or inside a flood zone, are flagged with the reason in words.
        await _chromium.WaitForAsync(page, $"#shelter-list [data-shelter-id='{Gym}'][data-suitable='false']", "registry-hq");
        await _chromium.WaitForAsync(page, $"#shelter-list [data-shelter-id='{WadaHall}'][data-suitable='false']", "registry-hq");
        var gymFlag = await page.Locator($"#shelter-list [data-shelter-id='{Gym}'] .shelter-suitability").InnerTextAsync();
        Assert.Contains("洪水の指定なし", gymFlag);
        Assert.StartsWith("✕", gymFlag);
        Assert.Equal("true", await page.Locator($"#shelter-list [data-shelter-id='{Wada}']").GetAttributeAsync("data-suitable"));

        // Shelters open and people come in, through the API, as the shelters' phones do.
        using (var hq = await _app.SignedInClientAsync("hq"))
        {
            foreach (var shelter in new[] { Wada, WadaHall, Gym })
            {
                Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{shelter}/status",
                    new { open = true, occupancy = 0 })).StatusCode);
            }

            foreach (var delta in new[] { 12, 5, -2 })
            {
                var counted = await hq.PostAsJsonAsync($"/api/shelters/{Wada}/count", new { clientId = Guid.NewGuid(), delta });
                Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
            }
        }

        await page.Locator($"#shelter-list [data-shelter-id='{Wada}'] button").ClickAsync();
        var chart = page.Locator("#details-body .shelter-chart");
        await _chromium.WaitForAsync(page, "#details-body .shelter-chart svg [data-marker='opened']", "registry-hq");
        await _chromium.WaitForAsync(page, "#details-body .chart-summary:has-text('最新 15人')", "registry-hq");
        Assert.Matches(@"^M[\d.]+,[\d.]+ H", await chart.Locator(".head-count-line").GetAttributeAsync("d"));
        Assert.NotEmpty(await chart.Locator(".capacity-line").GetAttributeAsync("d") ?? "");
        Assert.Equal(4, await chart.Locator("tbody tr").CountAsync());
        // The flood declared: the details say it may be suggested (the school is designated and outside the zones).
        Assert.Contains("案内できます", await page.Locator("#details-body dl").InnerTextAsync());
        await chart.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "shelter-registry-hq");
        await page.Locator($"#registry-form-{Wada} .form-actions").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "shelter-registry-form-hq");

        // A resident's phone, anonymous, at the school: the nearest open suitable shelters, never the unsuitable ones.
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            Geolocation = new Geolocation { Latitude = 37.958F, Longitude = 140.1921F },
            Permissions = ["geolocation"],
        });
        var residents = _chromium.Logged(await context.NewPageAsync(), "public");
        await residents.GotoAsync(new Uri(_app.BaseAddress, "/public").ToString());
        await _chromium.WaitForAsync(residents, "body[data-live-state='live']", "registry-public");
        await residents.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "現在地から探す" }).ClickAsync();
        await _chromium.WaitForAsync(residents, $".nearest-card[data-shelter-id='{Wada}']", "registry-public");
        var cards = residents.Locator(".nearest-card");
        var ids = await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.shelterId)");
        Assert.DoesNotContain(Gym, ids);
        Assert.DoesNotContain(WadaHall, ids);
        var distances = await cards.EvaluateAllAsync<int[]>("cards => cards.map(c => Number(c.dataset.distance))");
        Assert.Equal(distances.OrderBy(d => d), distances);
        var first = await cards.First.InnerTextAsync();
        Assert.Contains("直線で", first);
        Assert.Contains("開設中", first);
        // The shelter list says why the gym is not suggested.
        Assert.Contains("洪水の指定なし", await residents.Locator($"#shelter-list [data-shelter-id='{Gym}'] .not-suggested").InnerTextAsync());
        // The staff contact never reaches residents.
        Assert.DoesNotContain("内線 123", await residents.Locator("body").InnerTextAsync());
        await residents.EvaluateAsync("() => document.fonts.ready");
        await residents.Locator("#nearest").ScrollIntoViewIfNeededAsync();
        await residents.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", "nearest-public-360.png") });
        // The English page (a link: the page is rendered in its language).
        await residents.GotoAsync(new Uri(_app.BaseAddress, "/public?lang=en").ToString());
        await _chromium.WaitForAsync(residents, "body[data-live-state='live']", "registry-public");
        await residents.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Use my location" }).ClickAsync();
        Assert.Contains("in a straight line", await residents.Locator(".nearest-card").First.InnerTextAsync());
        await residents.Locator("#nearest").ScrollIntoViewIfNeededAsync();
        await residents.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", "nearest-public-360-en.png") });
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", name + "-page.png") });
        await page.Locator("#details").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", name + ".png") });
    }
}
