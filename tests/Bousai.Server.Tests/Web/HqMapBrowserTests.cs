using System.Net.Http.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>The real server on a loopback port, driven by Debian's Chromium the way staff and residents use it.</summary>
public sealed class HqMapBrowserTests : IAsyncLifetime
{
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
    public async Task Staff_sign_in_and_the_HQ_map_draws_all_24_shelters()
    {
        var page = await _chromium.OpenPageAsync(1366, 768);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/").ToString());

        Assert.EndsWith("/login?returnUrl=%2F", page.Url);
        await page.GetByLabel("ユーザー名").FillAsync("hq");
        await page.GetByLabel("パスワード").FillAsync(BousaiApp.Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "ログイン" }).ClickAsync();

        await _chromium.WaitForMapAsync(page, "hq-map");
        var shelters = page.Locator("[data-layer='shelters'][data-feature-count]").First;
        Assert.Equal("24", await shelters.GetAttributeAsync("data-feature-count"));
        Assert.Contains("hq テスト", await page.Locator("body").InnerTextAsync());

        // The map canvas has really been drawn: many distinct colours, not a blank surface.
        var colours = await page.EvaluateAsync<int>("""
            () => {
              const canvas = document.querySelector('.ol-viewport canvas');
              const { width, height } = canvas;
              const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
              const seen = new Set();
              for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
              return seen.size;
            }
            """);
        Assert.True(colours > 20, $"the map canvas shows only {colours} colours");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "hq-map.png") });
    }

    [Fact]
    public async Task Residents_see_the_shelters_on_a_phone_without_signing_in()
    {
        var page = await _chromium.OpenPageAsync(360, 640);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/public").ToString());

        // On a phone the list comes first and the map loads when asked for.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "地図を表示" }).ClickAsync();
        await _chromium.WaitForMapAsync(page, "public-phone");
        Assert.Equal("24", await page.Locator("[data-layer='shelters'][data-feature-count]").First.GetAttributeAsync("data-feature-count"));
        Assert.Contains("高畠小学校", await page.Locator("body").InnerTextAsync());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "public-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task HQ_map_shows_a_change_committed_elsewhere_without_a_reload()
    {
        var page = await _chromium.OpenPageAsync(1366, 768);
        await Chromium.SignInAsync(page, _app, "hq");
        await _chromium.WaitForMapAsync(page, "hq-live");
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", "hq-live");
        var loads = 0;
        page.Load += (_, _) => loads++;

        using var shelterStaff = await _app.SignedInClientAsync("shelter");
        var response = await shelterStaff.PutAsJsonAsync("/api/shelters/takahata-shelter-09/status", new { open = true, occupancy = 12 });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-wada/evacuation-level",
            new { level = 4, decidedBy = "本部長", reason = "千曲川の水位上昇" })).StatusCode);

        await _chromium.WaitForAsync(page, "#activity-list li[data-kind='district_evacuation_level_changed']", "hq-live");
        await _chromium.WaitForAsync(page, "#activity-list li[data-kind='shelter_status_changed']", "hq-live");
        await _chromium.WaitForAsync(page, "[data-shelter-id='takahata-shelter-09'][data-crowding='available']", "hq-live");
        var newest = await page.Locator("#activity-list li").First.GetAttributeAsync("data-kind");
        Assert.Equal("district_evacuation_level_changed", newest);
        Assert.Equal(0, loads);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "hq-live.png") });
    }

    [Fact]
    public async Task Residents_see_a_shelter_open_and_fill_up_as_it_happens()
    {
        var page = await _chromium.OpenPageAsync(360, 640);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/public").ToString());
        await page.Locator("#show-map").ClickAsync();
        await _chromium.WaitForMapAsync(page, "public-live");
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", "public-live");
        await _chromium.WaitForAsync(page, "[data-shelter-id='takahata-shelter-14'][data-crowding='closed']", "public-live");

        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-14/status",
            new { open = true, occupancy = 10, note = "内部メモ：発電機あり" })).StatusCode);
        await _chromium.WaitForAsync(page, "[data-shelter-id='takahata-shelter-14'][data-crowding='available']", "public-live");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-14/status",
            new { open = true, occupancy = 10, declaredFull = true })).StatusCode);
        await _chromium.WaitForAsync(page, "[data-shelter-id='takahata-shelter-14'][data-crowding='full']", "public-live");
        Assert.DoesNotContain("内部メモ", await page.Locator("body").InnerTextAsync());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "public-live.png") });
    }

    [Fact]
    public async Task A_gauge_crossing_its_caution_level_changes_its_symbol_and_opens_a_hydrograph_with_its_thresholds()
    {
        var page = await _chromium.OpenPageAsync(1366, 768);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login?lang=ja").ToString());
        Assert.Contains("観測データはシミュレーション", await page.Locator("main").InnerTextAsync());
        await page.GetByLabel("ユーザー名").FillAsync("hq");
        await page.GetByLabel("パスワード").FillAsync(BousaiApp.Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "ログイン" }).ClickAsync();
        await _chromium.WaitForMapAsync(page, "hq-gauges");
        await _chromium.WaitForAsync(page, "body[data-live-state='live'][data-simulated='true']", "hq-gauges");
        await _chromium.WaitForAsync(page, "[data-station-id='station-nakahashi'][data-stage='no_data']", "hq-gauges");

        await using (var gauge = await _app.GaugeAsync())
        {
            var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 600 * 600);
            var backlog = string.Join(",", Enumerable.Range(0, 12).Select(i =>
                $$"""{"observedAt":"{{now.AddMinutes(-10 * (11 - i)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)}}","value":{{(1.0 + i * 0.1).ToString(System.Globalization.CultureInfo.InvariantCulture)}},"unit":"m"}"""));
            await gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", "[" + backlog + "]");
        }

        // 2.1 m at 中橋 reaches its own 氾濫注意水位 (2.1 m).
        await _chromium.WaitForAsync(page, "[data-station-id='station-nakahashi'][data-stage='caution']", "hq-gauges");
        await page.Locator("[data-station-id='station-nakahashi'][data-stage='caution']").First.ClickAsync();
        await _chromium.WaitForAsync(page, "#station-chart[data-station-id='station-nakahashi'] svg [data-threshold='danger']", "hq-gauges");
        Assert.Contains("シミュレーション", await page.Locator("body").InnerTextAsync());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "hq-gauges.png") });
    }

}
