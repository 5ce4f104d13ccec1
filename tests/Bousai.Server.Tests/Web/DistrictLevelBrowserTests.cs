using System.Net;
using System.Net.Http.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// HQ issues and lifts a district's 警戒レベル on screen (web/src/hq/districtLevels.ts), in Debian's Chromium against
/// the real server: the form, what other screens see, what the server refuses, and the map it sits beside.
/// </summary>
public sealed class DistrictLevelBrowserTests : IAsyncLifetime
{
    private const string Yashiro = "district-yashiro";
    private const string YashiroForm = "#level-form-district-yashiro";

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
    public async Task Hq_issues_an_evacuation_order_for_Yashiro_with_a_reason_and_another_hq_screen_and_the_public_view_show_it_without_reload()
    {
        var page = await SignedInPageAsync("hq", 1366, 768, "issue");
        var other = await SignedInPageAsync("hq", 1366, 768, "issue-other");
        var residents = await _chromium.OpenPageAsync(360, 640);
        await residents.GotoAsync(Url("/public"));
        await _chromium.WaitForAsync(residents, "body[data-live-state='live']", "issue-public");
        var loads = 0;
        other.Load += (_, _) => loads++;
        residents.Load += (_, _) => loads++;

        await page.Locator($"[data-district-id='{Yashiro}'] .district-change").ClickAsync();
        await page.Locator($"{YashiroForm} input[name='level'][value='4']").CheckAsync();
        await page.Locator($"{YashiroForm} [name='decidedBy']").FillAsync("本部長（町長）");
        await page.Locator($"{YashiroForm} [name='reason']").FillAsync("屋代川 中橋観測所で氾濫危険水位を超過");
        await page.Locator($"{YashiroForm} [name='reason']").FocusAsync();
        await Screenshot(page.Locator("#district-list"), "district-form-ja");
        await page.Locator($"{YashiroForm} button[type='submit']").ClickAsync();

        Assert.Equal("屋代地区に 避難指示（警戒レベル4）を発令します", (await page.Locator($"{YashiroForm} .confirm-text").InnerTextAsync()).Trim());
        await Screenshot(page.Locator("#district-list"), "district-form-confirm-ja");
        Assert.Null(await LevelInDatabaseAsync(Yashiro)); // nothing is sent before the confirmation
        await page.Locator($"{YashiroForm} button.confirm").ClickAsync();

        await _chromium.WaitForAsync(page, ".form-done", "issue");
        Assert.Contains("屋代地区に 避難指示（警戒レベル4）を発令しました", await page.Locator(".form-done").InnerTextAsync());
        Assert.Equal((4, "屋代川 中橋観測所で氾濫危険水位を超過"), await LevelInDatabaseAsync(Yashiro));

        await _chromium.WaitForAsync(other, $"[data-district-id='{Yashiro}'][data-level='4']", "issue-other");
        Assert.Contains("屋代川 中橋観測所で氾濫危険水位を超過", await other.Locator($"[data-district-id='{Yashiro}'] .district-record").InnerTextAsync());
        Assert.Contains("hq", await other.Locator($"[data-district-id='{Yashiro}'] .district-record").InnerTextAsync());
        await _chromium.WaitForAsync(residents, "#evacuation-banner .evac-level[data-level='4']", "issue-public");
        Assert.Contains("屋代地区", await residents.Locator("#evacuation-banner").InnerTextAsync());
        Assert.Equal(0, loads);
    }

    [Fact]
    public async Task A_reason_the_server_refuses_shows_its_message_beside_the_reason_and_changes_nothing()
    {
        var page = await SignedInPageAsync("hq", 1366, 768, "refused");
        var eventsBefore = await SituationEventCountAsync();

        await page.Locator($"[data-district-id='{Yashiro}'] .district-change").ClickAsync();
        await page.Locator($"{YashiroForm} input[name='level'][value='4']").CheckAsync();
        await page.Locator($"{YashiroForm} [name='decidedBy']").FillAsync("本部長");
        // A NUL character: the page has no rule against it, the server refuses every text that holds one.
        await page.Locator($"{YashiroForm} [name='reason']").EvaluateAsync(
            "el => { el.value = '氾濫危険水位\\u0000を超過'; el.dispatchEvent(new Event('input', { bubbles: true })); }");
        await page.Locator($"{YashiroForm} button[type='submit']").ClickAsync();
        await page.Locator($"{YashiroForm} button.confirm").ClickAsync();

        var error = page.Locator($"{YashiroForm}-reason-error");
        await _chromium.WaitForAsync(page, $"{YashiroForm}-reason-error", "refused");
        Assert.Contains("NUL", await error.InnerTextAsync());
        var reason = page.Locator($"{YashiroForm} [name='reason']");
        Assert.Equal("true", await reason.GetAttributeAsync("aria-invalid"));
        Assert.Contains($"{YashiroForm[1..]}-reason-error", await reason.GetAttributeAsync("aria-describedby") ?? "");
        Assert.Equal("氾濫危険水位\0を超過", await reason.InputValueAsync());
        Assert.Equal(0, await page.Locator(".form-done").CountAsync());
        await Screenshot(page.Locator("#district-list"), "district-form-refused-ja");

        Assert.Null(await LevelInDatabaseAsync(Yashiro));
        Assert.Equal(eventsBefore, await SituationEventCountAsync());
    }

    [Fact]
    public async Task Staff_other_than_hq_see_no_level_button_and_the_server_refuses_them_too()
    {
        var page = await SignedInPageAsync("field", 1366, 768, "field-role");
        await _chromium.WaitForAsync(page, $"[data-district-id='{Yashiro}'][data-level='0']", "field-role");
        Assert.Equal(0, await page.Locator(".district-change").CountAsync());
        await page.Locator($"[data-district-id='{Yashiro}'] .district-pick").ClickAsync();
        await _chromium.WaitForAsync(page, "#details:not([hidden])", "field-role");
        Assert.Equal(0, await page.Locator("#details .district-change-from-map").CountAsync());
        var eventsBefore = await SituationEventCountAsync();

        using var field = await _app.SignedInClientAsync("field");
        var response = await field.PutAsJsonAsync($"/api/districts/{Yashiro}/evacuation-level",
            new { level = 4, decidedBy = "本部長", reason = "現地で判断" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await LevelInDatabaseAsync(Yashiro));
        Assert.Equal(eventsBefore, await SituationEventCountAsync());
    }

    [Fact]
    public async Task A_live_event_arriving_while_the_reason_is_typed_keeps_the_text_and_the_focus()
    {
        var page = await SignedInPageAsync("hq", 1366, 768, "typing");
        await page.Locator($"[data-district-id='{Yashiro}'] .district-change").ClickAsync();
        var reason = page.Locator($"{YashiroForm} [name='reason']");
        await reason.ClickAsync();
        await page.Keyboard.TypeAsync("屋代川の水位が");

        // Meanwhile another screen opens a shelter and issues a level for another district (which redraws this list).
        using var hq = await _app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/shelters/takahata-shelter-09/status",
            new { open = true, occupancy = 40 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync("/api/districts/district-wada/evacuation-level",
            new { level = 3, decidedBy = "副本部長", reason = "和田川の水位上昇" })).StatusCode);
        await _chromium.WaitForAsync(page, "#activity-list li[data-kind='shelter_status_changed']", "typing");
        await _chromium.WaitForAsync(page, "[data-district-id='district-wada'][data-level='3']", "typing");

        Assert.Equal("屋代川の水位が", await reason.InputValueAsync());
        Assert.True(await reason.EvaluateAsync<bool>("el => document.activeElement === el"), "the reason lost the focus");
        await page.Keyboard.TypeAsync("上昇中");
        Assert.Equal("屋代川の水位が上昇中", await reason.InputValueAsync());
    }

    [Fact]
    public async Task The_district_on_the_map_opens_the_same_form_from_its_details()
    {
        var page = await SignedInPageAsync("hq", 1366, 768, "from-map");
        await page.Locator($"[data-district-id='{Yashiro}'] .district-pick").ClickAsync();
        await _chromium.WaitForAsync(page, "#details .district-change-from-map", "from-map");

        await page.Locator("#details .district-change-from-map").ClickAsync();

        await _chromium.WaitForAsync(page, $"{YashiroForm} input[name='level']", "from-map");
        Assert.True(await page.Locator($"{YashiroForm} input[name='level']").First.EvaluateAsync<bool>("el => document.activeElement === el"),
            "the form did not take the focus");
        Assert.Equal("true", await page.Locator($"[data-district-id='{Yashiro}'] .district-change").GetAttributeAsync("aria-expanded"));
    }

    [Fact]
    public async Task The_form_and_the_pages_speak_English_with_lang_en_in_the_address()
    {
        var page = await SignedInPageAsync("hq", 1366, 768, "english");
        await page.GotoAsync(Url("/?lang=en"));
        await _chromium.WaitForMapAsync(page, "english");
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", "english");
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));

        await page.Locator($"[data-district-id='{Yashiro}'] .district-change").ClickAsync();
        await page.Locator($"{YashiroForm} input[name='level'][value='4']").CheckAsync();
        await page.Locator($"{YashiroForm} [name='decidedBy']").FillAsync("Head of HQ (mayor)");
        await page.Locator($"{YashiroForm} [name='reason']").FillAsync("Water at Nakahashi above the flood danger level");
        await Screenshot(page.Locator("#district-list"), "district-form-en");
        await page.Locator($"{YashiroForm} button[type='submit']").ClickAsync();
        Assert.Equal("Issue Evacuation instruction (避難指示) (alert level 4) for Yashiro district",
            (await page.Locator($"{YashiroForm} .confirm-text").InnerTextAsync()).Trim());
        await Screenshot(page.Locator("#district-list"), "district-form-confirm-en");

        var residents = await _chromium.OpenPageAsync(360, 640);
        await residents.GotoAsync(Url("/public?lang=en"));
        await residents.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show the map" }).ClickAsync();
        await _chromium.WaitForMapAsync(residents, "english-public");
        Assert.Equal("en", await residents.EvaluateAsync<string>("document.documentElement.lang"));
        Assert.Contains("Shelter", await residents.Locator("body").InnerTextAsync());
    }

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(360, 740)]
    public async Task The_map_in_a_flood_at_a_desk_and_on_a_phone(int width, int height)
    {
        // A gauge in danger, open shelters and levels in force: the busiest the map gets.
        using var hq = await _app.SignedInClientAsync("hq");
        foreach (var (district, level) in new[] { (Yashiro, 4), ("district-takahata", 3), ("district-wada", 5) })
        {
            Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/districts/{district}/evacuation-level",
                new { level, decidedBy = "本部長", reason = "水位上昇" })).StatusCode);
        }

        foreach (var (shelter, occupancy) in new[] { ("takahata-shelter-09", 280), ("takahata-shelter-14", 30), ("takahata-shelter-01", 150) })
        {
            Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{shelter}/status",
                new { open = true, occupancy })).StatusCode);
        }

        await using (var gauge = await _app.GaugeAsync())
        {
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
            await gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", $$"""[{"observedAt":"{{now}}","value":2.95,"unit":"m"}]""");
        }

        var page = await SignedInPageAsync("hq", width, height, $"flood-{width}");
        await _chromium.WaitForAsync(page, "[data-station-id='station-nakahashi'][data-stage='danger']", $"flood-{width}");
        await _chromium.WaitForAsync(page, $"[data-district-id='{Yashiro}'][data-level='4']", $"flood-{width}");
        await page.WaitForTimeoutAsync(500); // the map redraws with the states just applied
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, $"hq-map-declutter-{width}.png") });

        var residents = await _chromium.OpenPageAsync(width, height);
        await residents.GotoAsync(Url("/public"));
        // A wide screen loads the map by itself after the page; a phone when asked (the button does nothing twice).
        if (width < 960) await residents.Locator("#show-map").ClickAsync();
        await _chromium.WaitForMapAsync(residents, $"flood-public-{width}");
        await _chromium.WaitForAsync(residents, "#evacuation-banner .evac-level[data-level='5']", $"flood-public-{width}");
        await residents.WaitForTimeoutAsync(500);
        await Screenshot(residents.Locator("#map"), $"public-map-declutter-{width}");
    }

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    private async Task<IPage> SignedInPageAsync(string user, int width, int height, string name)
    {
        var page = await _chromium.OpenPageAsync(width, height);
        await Chromium.SignInAsync(page, _app, user);
        await _chromium.WaitForMapAsync(page, name);
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", name);
        if (user == "hq") await _chromium.WaitForAsync(page, $"[data-district-id='{Yashiro}'] .district-change", name);
        return page;
    }

    /// <summary>What the database holds for the district: its level and reason, or null when none was ever recorded.</summary>
    private async Task<(int Level, string? Reason)?> LevelInDatabaseAsync(string districtId)
    {
        await using var command = _app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT level, reason FROM district_evacuation_levels WHERE district_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = districtId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private async Task<long> SituationEventCountAsync()
    {
        await using var command = _app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM situation_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task Screenshot(ILocator element, string name) =>
        element.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Repository.Output, name + ".png") });

}
