using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// HQ's time travel in Debian's Chromium against the real server (web/src/hq/timeTravel.ts): Yashiro goes to 警戒レベル3,
/// a shelter opens, then Yashiro goes to 4; HQ moves the slider back (the whole view as it was, marked as the past, no
/// actions), forward, plays the past on, and returns to live with one click.
/// </summary>
public sealed class TimeTravelBrowserTests : IAsyncLifetime
{
    private const string Yashiro = "[data-district-id='district-yashiro']";
    private const string Shelter = "takahata-shelter-09";

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
    public async Task Hq_moves_the_slider_back_and_forth_plays_the_past_on_and_returns_to_live()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        var startsAt = await RecordStartAsync(hq);
        await Task.Delay(1_500);
        await LevelAsync(hq, 3, "屋代川の水位上昇");
        await Task.Delay(1_500);
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{Shelter}/status", new { open = true, occupancy = 40 })).StatusCode);
        await Task.Delay(1_500);
        await LevelAsync(hq, 4, "氾濫危険水位を超過");
        var levels = await LevelTimesAsync();

        var page = await _chromium.OpenPageAsync(1366, 768);
        await Chromium.SignInAsync(page, _app, "hq");
        await _chromium.WaitForMapAsync(page, "time-travel");
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", "time-travel");
        await _chromium.WaitForAsync(page, $"{Yashiro}[data-level='4'] .district-change", "time-travel");
        var slider = page.Locator("#time-slider");
        Assert.Equal(await slider.GetAttributeAsync("max"), await slider.InputValueAsync());
        Assert.True(await page.Locator("#past-banner").IsHiddenAsync());

        // Back to the start of the record: before any of it, nothing issued, nothing open.
        await slider.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        await _chromium.WaitForAsync(page, "#past-banner:not([hidden])", "time-travel-start");
        await _chromium.WaitForAsync(page, $"{Yashiro}:not([data-level='3']):not([data-level='4'])", "time-travel-start");
        Assert.Contains("過去の状況を表示中", await page.Locator("#past-banner").InnerTextAsync());
        Assert.Contains("ライブに戻ると操作できます", await page.Locator("#past-banner").InnerTextAsync());
        Assert.Equal(0, await page.Locator(".district-change").CountAsync());
        Assert.Contains("at=", page.Url);

        // Forward to between the two levels: 3 in force, the shelter not yet open.
        await MoveSliderToAsync(page, startsAt, levels[0].AddMilliseconds(700));
        await _chromium.WaitForAsync(page, $"{Yashiro}[data-level='3']", "time-travel-level-3");
        Assert.Equal(0, await page.Locator(".district-change").CountAsync());
        // Never opened by then: no state at all, or closed.
        Assert.Contains(await page.Locator($"#shelter-list [data-shelter-id='{Shelter}']").GetAttributeAsync("data-crowding"), new[] { null, "closed" });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "hq-time-travel-past.png") });

        // Played on at ×1 from there: the shelter opens, then level 4 is issued, as they happened.
        await page.Locator(".time-speed select").SelectOptionAsync("1");
        await page.Locator("button.time-play").ClickAsync();
        await _chromium.WaitForAsync(page, $"#shelter-list [data-shelter-id='{Shelter}'][data-crowding]:not([data-crowding='closed'])", "time-travel-play");
        await _chromium.WaitForAsync(page, $"{Yashiro}[data-level='4']", "time-travel-play");
        Assert.False(await page.Locator("#past-banner").IsHiddenAsync());
        Assert.Equal(0, await page.Locator(".district-change").CountAsync());
        await page.Locator("button.time-play").ClickAsync(); // pause

        // One click back to live: the forms are back, and a live change arrives again.
        await page.Locator("#past-banner button.past-live").ClickAsync();
        await _chromium.WaitForAsync(page, "#past-banner[hidden]", "time-travel-live");
        await _chromium.WaitForAsync(page, $"{Yashiro}[data-level='4'] .district-change", "time-travel-live");
        Assert.DoesNotContain("at=", page.Url);
        Assert.Equal(await slider.GetAttributeAsync("max"), await slider.InputValueAsync());
        await LevelAsync(hq, 5, "越水を確認");
        await _chromium.WaitForAsync(page, $"{Yashiro}[data-level='5']", "time-travel-live-event");
    }

    [Fact]
    public async Task On_a_phone_the_bar_fits_and_a_past_moment_opens_from_the_address()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        await RecordStartAsync(hq);
        await LevelAsync(hq, 3, "屋代川の水位上昇");
        var issuedAt = (await LevelTimesAsync())[0];
        await Task.Delay(1_500);
        await LevelAsync(hq, 4, "氾濫危険水位を超過");

        var page = await _chromium.OpenPageAsync(390, 844);
        await Chromium.SignInAsync(page, _app, "hq");
        await page.GotoAsync(new Uri(_app.BaseAddress, $"/?at={Uri.EscapeDataString(issuedAt.AddMilliseconds(500).ToString("O"))}").ToString());
        await _chromium.WaitForMapAsync(page, "time-travel-phone");
        await _chromium.WaitForAsync(page, "#past-banner:not([hidden])", "time-travel-phone");
        await _chromium.WaitForAsync(page, $"{Yashiro}[data-level='3']", "time-travel-phone");
        var overflow = await page.EvaluateAsync<int>("() => document.querySelector('#time-bar').scrollWidth - document.querySelector('#time-bar').clientWidth");
        Assert.True(overflow <= 0, $"the time bar is {overflow} px wider than the phone");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "hq-time-travel-phone.png") });

        await page.Locator("#time-bar button.time-live").ClickAsync();
        await _chromium.WaitForAsync(page, $"{Yashiro}[data-level='4']", "time-travel-phone-live");
        Assert.True(await page.Locator("#past-banner").IsHiddenAsync());
    }

    /// <summary>Waits for the record to begin (the checkpointer's first checkpoint) and returns its start.</summary>
    private static async Task<DateTimeOffset> RecordStartAsync(HttpClient hq)
    {
        for (var i = 0; i < 100; i++)
        {
            var record = await hq.GetFromJsonAsync<JsonElement>("/api/situation/record");
            if (record.TryGetProperty("startsAt", out var startsAt) && startsAt.ValueKind == JsonValueKind.String)
                return startsAt.GetDateTimeOffset();
            await Task.Delay(100);
        }

        throw new TimeoutException("the record of the situation did not begin");
    }

    private static async Task LevelAsync(HttpClient hq, int level, string reason) =>
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-yashiro/evacuation-level",
            new { level, decidedBy = "本部長", reason })).StatusCode);

    /// <summary>When each level change of Yashiro happened, oldest first.</summary>
    private async Task<List<DateTimeOffset>> LevelTimesAsync()
    {
        var times = new List<DateTimeOffset>();
        await using var command = _app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "SELECT occurred_at FROM situation_events WHERE kind = 'district_evacuation_level_changed' ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) times.Add(reader.GetFieldValue<DateTimeOffset>(0));
        return times;
    }

    /// <summary>Sets the slider to the position of a moment as a user's drag would end there (input, then change).</summary>
    private static async Task MoveSliderToAsync(IPage page, DateTimeOffset startsAt, DateTimeOffset moment)
    {
        var slider = page.Locator("#time-slider");
        // The record is seconds long here: the slider moves by the second.
        var position = (int)Math.Round((moment - startsAt).TotalSeconds);
        await slider.EvaluateAsync("(el, value) => { el.value = String(value); el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); }", position);
    }
}
