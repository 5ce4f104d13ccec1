using System.Net.Http.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// The shelter staff's phone page in headless Chromium on a 360×740 viewport, against the real server on a loopback
/// port (a service worker needs a real origin): counts made online and offline reach the server exactly once and in
/// order, the page loads offline once visited, residents see the new band, and another shelter is out of reach.
/// </summary>
public sealed class ShelterPageBrowserTests : IAsyncLifetime
{
    /// <summary>The test shelter account's own shelter (高畠小学校, capacity 600 assumed).</summary>
    private const string Own = "takahata-shelter-09";

    /// <summary>Another shelter, not the account's.</summary>
    private const string Other = "takahata-shelter-14";

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
    public async Task Counts_tapped_online_and_offline_reach_the_server_once_in_order_and_residents_see_the_new_band()
    {
        await using var resident = await PhoneAsync();
        var residents = _chromium.Logged(await resident.NewPageAsync(), "shelter-public");
        await residents.GotoAsync(new Uri(_app.BaseAddress, "/public").ToString());
        await _chromium.WaitForAsync(residents, "body[data-live-state='live']", "shelter-public");
        await _chromium.WaitForAsync(residents, $"[data-shelter-id='{Own}'][data-crowding='closed']", "shelter-public");

        await using var phone = await PhoneAsync();
        var page = await SignedInShelterPageAsync(phone, "shelter-desk");
        // The account's one shelter is chosen by itself; the picker offers no other.
        Assert.Equal(["", Own], await page.Locator("#shelter-select option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await _chromium.WaitForAsync(page, $"#count-panel[data-shelter-id='{Own}'][data-open='false']", "shelter-desk");
        Assert.True(await page.Locator("#count-buttons button[data-delta='1']").IsDisabledAsync());

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "開設する" }).ClickAsync();
        await _chromium.WaitForAsync(page, "#count-panel[data-open='true']", "shelter-desk");

        // The explicit correction: 171 people already inside when the phone took over.
        await page.Locator("#correction summary").ClickAsync();
        await page.GetByLabel("正しい合計人数").FillAsync("171");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "合計を訂正する" }).ClickAsync();
        await _chromium.WaitForAsync(page, "#head-count[data-confirmed='171']", "shelter-desk");
        await _chromium.WaitForAsync(residents, $"[data-shelter-id='{Own}'][data-crowding='available']", "shelter-public");

        // Online: +1 three times and +5.
        var plusOne = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "1人 入った" });
        for (var i = 0; i < 3; i++) await plusOne.ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "5人 入った" }).ClickAsync();
        await _chromium.WaitForAsync(page, "#head-count[data-confirmed='179'][data-count='179']", "shelter-desk");
        await _chromium.WaitForAsync(page, "#pending-count[data-pending='0']", "shelter-desk");
        await ScreenshotAsync(page, "shelter-desk-online");

        // Offline: +1 twice and −1. The phone keeps them and says so; the head count shown includes them.
        await phone.SetOfflineAsync(true);
        await _chromium.WaitForAsync(page, "#net-status[data-online='false']", "shelter-desk");
        await plusOne.ClickAsync();
        await plusOne.ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "1人 出た" }).ClickAsync();
        await _chromium.WaitForAsync(page, "#head-count[data-count='180'][data-confirmed='179']", "shelter-desk");
        await _chromium.WaitForAsync(page, "#pending-count:not([data-pending='0'])", "shelter-desk");
        Assert.Contains("未送信", await page.Locator("#pending-count").InnerTextAsync());
        await ScreenshotAsync(page, "shelter-desk-offline");

        // Reloaded with no network: the page comes from the service worker, the queue and last count from the phone.
        var reloaded = await page.ReloadAsync();
        Assert.Equal("1", await reloaded!.HeaderValueAsync("X-Bousai-From-Cache"));
        await _chromium.WaitForAsync(page, $"#count-panel[data-shelter-id='{Own}'] #head-count[data-count='180'][data-confirmed='179']", "shelter-reloaded");
        Assert.Contains("未送信", await page.Locator("#pending-count").InnerTextAsync());
        Assert.Equal(179L, await OccupancyAsync(Own));
        await ScreenshotAsync(page, "shelter-desk-offline-reloaded");

        await phone.SetOfflineAsync(false);
        await _chromium.WaitForAsync(page, "#pending-count[data-pending='0']", "shelter-reloaded");
        await _chromium.WaitForAsync(page, "#head-count[data-confirmed='180'][data-count='180']", "shelter-reloaded");
        // Each batch counted once: 171 + 3 + 5 + 2 − 1.
        Assert.Equal(180L, await OccupancyAsync(Own));
        Assert.Equal(9L, await _app.Database.ScalarAsync<long>($"SELECT coalesce(sum(delta), 0) FROM shelter_counts WHERE shelter_id = '{Own}'"));
        await ScreenshotAsync(page, "shelter-desk-sent");

        // 180 of 600 is 30 %: residents see やや混雑, live.
        await _chromium.WaitForAsync(residents, $"[data-shelter-id='{Own}'][data-crowding='somewhat_crowded']", "shelter-public");
        Assert.Contains("やや混雑", await residents.Locator($"[data-shelter-id='{Own}']").InnerTextAsync());
        await residents.Locator($"[data-shelter-id='{Own}']").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(residents, "shelter-public-after-counts", fullPage: false);
    }

    [Fact]
    public async Task Shelter_staff_are_not_offered_another_shelter_and_a_forced_change_is_refused_in_words()
    {
        await using var phone = await PhoneAsync();
        var page = await SignedInShelterPageAsync(phone, "shelter-other");
        Assert.Equal(["", Own], await page.Locator("#shelter-select option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));

        // Forced through the address: the page says it is not this account's, and the server refuses the change.
        await page.GotoAsync(new Uri(_app.BaseAddress, $"/shelter?shelter={Other}").ToString());
        await _chromium.WaitForAsync(page, $"#count-panel[data-shelter-id='{Other}'][data-open='false']", "shelter-other");
        Assert.Contains("担当ではありません", await page.Locator(".picker-not-yours").InnerTextAsync());
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "開設する" }).ClickAsync();
        await _chromium.WaitForAsync(page, "#count-panel .form-error", "shelter-other");
        Assert.Contains("この避難所を操作する権限がありません（403）", await page.Locator("#count-panel .form-error").InnerTextAsync());
        await ScreenshotAsync(page, "shelter-desk-other-refused");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "English" }).ClickAsync();
        Assert.Contains("not assigned to this account", await page.Locator(".picker-not-yours").InnerTextAsync());
        Assert.Equal("One person in", await page.Locator("#count-buttons button[data-delta='1']").GetAttributeAsync("aria-label"));
        Assert.Contains("You may not act on this shelter (403).", await page.Locator("#count-panel .form-error").InnerTextAsync());
        await ScreenshotAsync(page, "shelter-desk-other-en");
        Assert.Equal(0L, await _app.Database.ScalarAsync<long>($"SELECT count(*) FROM shelter_status WHERE shelter_id = '{Other}' AND status = 'open'"));

        // HQ opens it; a count tapped there from this account is refused, kept with the reason, and not sent again.
        var posts = 0;
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == $"/api/shelters/{Other}/count") posts++;
        };
        using (var hq = await _app.SignedInClientAsync("hq"))
        {
            var opened = await hq.PutAsJsonAsync($"/api/shelters/{Other}/status", new { open = true, occupancy = 12 });
            Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        }

        await _chromium.WaitForAsync(page, $"#count-panel[data-shelter-id='{Other}'][data-open='true']", "shelter-other");
        await page.Locator("#count-buttons button[data-delta='1']").ClickAsync();
        await _chromium.WaitForAsync(page, "#failed-list li[data-status='403']", "shelter-other");
        Assert.Contains("You may not act on this shelter.", await page.Locator("#failed-list").InnerTextAsync());
        Assert.Equal("0", await page.Locator("#pending-count").GetAttributeAsync("data-pending"));
        Assert.Equal("12", await page.Locator("#head-count").GetAttributeAsync("data-count"));
        await ScreenshotAsync(page, "shelter-desk-other-count-refused");
        await page.WaitForTimeoutAsync(4_000);
        Assert.Equal(1, posts);
        Assert.Equal(12L, await OccupancyAsync(Other));
    }

    private Task<IBrowserContext> PhoneAsync() => _chromium.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        Locale = "ja-JP",
    });

    /// <summary>Signs in as the shelter staff and opens /shelter until its service worker controls it (the page will then load offline).</summary>
    private async Task<IPage> SignedInShelterPageAsync(IBrowserContext context, string name)
    {
        var page = _chromium.Logged(await context.NewPageAsync(), name);
        // The correction and closing ask first; the staff member says yes.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await Chromium.SignInAsync(page, _app, "shelter");
        await page.WaitForURLAsync(url => !url.Contains("/login"));
        await page.GotoAsync(new Uri(_app.BaseAddress, "/shelter").ToString());
        try
        {
            await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, name + "-no-service-worker");
            Assert.Fail("the service worker never took control of /shelter.\n" + string.Join("\n", _chromium.Log));
        }

        await _chromium.WaitForAsync(page, "body[data-live-state='live']", name);
        return page;
    }

    private Task<long> OccupancyAsync(string shelterId) =>
        _app.Database.ScalarAsync<long>($"SELECT coalesce(max(occupancy), 0)::bigint FROM shelter_status WHERE shelter_id = '{shelterId}'");

    private static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", name + ".png"), FullPage = fullPage });
    }
}
