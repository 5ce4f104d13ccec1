using System.Net;
using System.Net.Http.Json;
using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>HQ triages a field report and sets a shelter's status from their details, in headless Chromium.</summary>
public sealed class ReportAndShelterBrowserTests : IAsyncLifetime
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
    public async Task HQ_verifies_a_report_and_sets_it_in_progress_with_a_note_and_a_second_HQ_page_sees_it_live()
    {
        using var field = await _app.SignedInClientAsync("field");
        var reportId = await field.SubmitReportAsync("road_blocked", "serious", "県道の冠水で通行止め", 140.2012, 38.0105);

        var page = await SignedInHqPageAsync("report-form", 1366, 768);
        var second = await SignedInHqPageAsync("report-second", 1366, 768);
        var item = $"#report-list [data-report-id='{reportId}']";
        await _chromium.WaitForAsync(second, $"{item}[data-status='new']", "report-second");

        await page.Locator($"{item} button").ClickAsync();
        var notes = page.Locator($"#report-form-{reportId}-notes");
        await notes.WaitForAsync();
        await notes.GetByLabel("内部メモ").FillAsync("消防団へ連絡済み。迂回路を案内中");

        // A live event while the note is being typed rebuilds the details panel: the text and the focus stay.
        using (var shelterStaff = await _app.SignedInClientAsync("shelter"))
        {
            Assert.Equal(HttpStatusCode.OK, (await shelterStaff.PutAsJsonAsync("/api/shelters/takahata-shelter-09/status",
                new { open = true, occupancy = 12 })).StatusCode);
        }

        await _chromium.WaitForAsync(page, "#shelter-list [data-shelter-id='takahata-shelter-09'][data-crowding='available']", "report-form");
        Assert.Equal("internalNote", await page.EvaluateAsync<string>("() => document.activeElement.name"));
        Assert.Equal("消防団へ連絡済み。迂回路を案内中", await notes.GetByLabel("内部メモ").InputValueAsync());
        await ScreenshotDetailsAsync(page, $"#report-form-{reportId}-notes", "report-form-ja");

        // Keyboard only: Tab from the note past the public summary reaches the save button, with its focus ring
        // visible, and Enter saves.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("保存する", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await _chromium.WaitForAsync(page, $"#report-form-{reportId}-notes .form-done", "report-form");
        Assert.Contains($"現地報告 #{reportId} のメモと要約を保存しました。", await notes.InnerTextAsync());

        // Verified, then in progress: each a move of its own, seen live on the second page.
        var status = page.Locator($"#report-form-{reportId}-status");
        await status.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "確認済みにする", Exact = true }).CheckAsync();
        await status.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "状態を変更する" }).ClickAsync();
        await _chromium.WaitForAsync(second, $"{item}[data-status='verified']", "report-second");
        await status.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "対応中にする", Exact = true }).CheckAsync();
        await status.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "状態を変更する" }).ClickAsync();
        await _chromium.WaitForAsync(second, $"{item}[data-status='in_progress']", "report-second");
        // The live event may reach the second page before the server's answer reaches this one.
        await _chromium.WaitForAsync(page, $"#report-form-{reportId}-status .form-done", "report-form");
        Assert.Contains($"現地報告 #{reportId} を「対応中」にしました。", await status.InnerTextAsync());

        Assert.Equal("in_progress:消防団へ連絡済み。迂回路を案内中", await _app.Database.ScalarAsync<string>(
            $"SELECT status || ':' || internal_note FROM field_reports WHERE id = {reportId}"));
        Assert.Equal(3L, await _app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE entity = 'field_report' AND entity_id = '{reportId}' AND actor = 'hq'"));

        await page.Locator("#language-switch button[data-lang='en']").ClickAsync();
        await notes.GetByLabel("Internal note").WaitForAsync();
        await ScreenshotDetailsAsync(page, $"#report-form-{reportId}-notes", "report-form-en");
        await page.SetViewportSizeAsync(360, 740);
        await ScreenshotDetailsAsync(page, $"#report-form-{reportId}-notes", "report-form-en-360");
    }

    [Fact]
    public async Task HQ_opens_a_shelter_with_a_head_count_and_the_public_view_and_a_second_HQ_page_see_it_live()
    {
        const string shelter = "takahata-shelter-14";
        var residents = await _chromium.OpenPageAsync(360, 640);
        await residents.GotoAsync(new Uri(_app.BaseAddress, "/public").ToString());
        await _chromium.WaitForAsync(residents, "body[data-live-state='live']", "shelter-public");
        await _chromium.WaitForAsync(residents, $"[data-shelter-id='{shelter}'][data-crowding='closed']", "shelter-public");
        var page = await SignedInHqPageAsync("shelter-form", 1366, 768);
        var second = await SignedInHqPageAsync("shelter-second", 1366, 768);
        await _chromium.WaitForAsync(second, $"#shelter-list [data-shelter-id='{shelter}'][data-crowding='closed']", "shelter-second");

        await page.Locator($"#shelter-list [data-shelter-id='{shelter}'] button").ClickAsync();
        var form = page.Locator($"#shelter-form-{shelter}");
        await form.WaitForAsync();
        await form.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "開設", Exact = true }).CheckAsync();
        await form.GetByLabel("避難者数（人）").FillAsync("37");
        await form.GetByLabel("備考", new LocatorGetByLabelOptions { Exact = true }).FillAsync("内部メモ：発電機あり");
        await ScreenshotDetailsAsync(page, $"#shelter-form-{shelter}", "shelter-form-ja");
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "送信する" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#shelter-form-{shelter} .form-done", "shelter-form");

        await _chromium.WaitForAsync(second, $"#shelter-list [data-shelter-id='{shelter}'][data-crowding='available']", "shelter-second");
        await _chromium.WaitForAsync(residents, $"[data-shelter-id='{shelter}'][data-crowding='available']", "shelter-public");
        Assert.DoesNotContain("内部メモ", await residents.Locator("body").InnerTextAsync());
        Assert.Equal("open:37:内部メモ：発電機あり:hq", await ShelterRowAsync(shelter));

        // Closing asks once more, naming the shelter; nothing changes before the confirmation.
        await form.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "閉鎖", Exact = true }).CheckAsync();
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "閉鎖の確認へ進む" }).ClickAsync();
        var confirm = page.Locator($"#shelter-form-{shelter} .confirm-text");
        await confirm.WaitForAsync();
        Assert.StartsWith("避難所「", await confirm.InnerTextAsync());
        Assert.Equal("open:37:内部メモ：発電機あり:hq", await ShelterRowAsync(shelter));
        await ScreenshotDetailsAsync(page, $"#shelter-form-{shelter}", "shelter-close-confirm-ja");

        await page.Locator("#language-switch button[data-lang='en']").ClickAsync();
        await page.Locator($"#shelter-form-{shelter}").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Close it" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#shelter-form-{shelter} .form-done", "shelter-form");
        await _chromium.WaitForAsync(residents, $"[data-shelter-id='{shelter}'][data-crowding='closed']", "shelter-public");
        Assert.StartsWith("closed:", await ShelterRowAsync(shelter));
        await ScreenshotDetailsAsync(page, $"#shelter-form-{shelter}", "shelter-form-en");
        await page.SetViewportSizeAsync(360, 740);
        await ScreenshotDetailsAsync(page, $"#shelter-form-{shelter}", "shelter-form-en-360");
    }

    [Fact]
    public async Task Staff_other_than_HQ_see_a_shelter_and_a_report_without_the_forms()
    {
        using var field = await _app.SignedInClientAsync("field");
        var reportId = await field.SubmitReportAsync("flooding", "minor", "田んぼが冠水", 140.2012, 38.0105, photos: 1);
        var page = await SignedInPageAsync("field", "field-readonly", 1366, 768);

        await _chromium.WaitForAsync(page, $"#report-list [data-report-id='{reportId}']", "field-readonly");
        await page.Locator($"#report-list [data-report-id='{reportId}'] button").ClickAsync();
        await page.Locator("#details-body dl").WaitForAsync();
        Assert.Equal(0, await page.Locator("#details-body form").CountAsync());
        // Other staff see the photos, without the switch that makes one public.
        await page.Locator("#details-body .photo-grid img").WaitForAsync();
        Assert.Equal(0, await page.Locator("#details-body .photo-grid input").CountAsync());
        await page.Locator("#shelter-list [data-shelter-id='takahata-shelter-14'] button").ClickAsync();
        await page.Locator("#details-body dl").WaitForAsync();
        Assert.Equal(0, await page.Locator("#details-body form").CountAsync());
    }

    private Task<string> ShelterRowAsync(string shelterId) => _app.Database.ScalarAsync<string>(
        $"SELECT status || ':' || occupancy || ':' || coalesce(note, '') || ':' || updated_by FROM shelter_status WHERE shelter_id = '{shelterId}'");

    private Task<IPage> SignedInHqPageAsync(string name, int width, int height) => SignedInPageAsync("hq", name, width, height);

    private async Task<IPage> SignedInPageAsync(string userName, string name, int width, int height)
    {
        var page = await _chromium.OpenPageAsync(width, height);
        await Chromium.SignInAsync(page, _app, userName);
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", name);
        await _chromium.WaitForAsync(page, "#shelter-list [data-shelter-id]", name);
        return page;
    }

    /// <summary>The details panel scrolled to the buttons of <paramref name="form"/>, and the whole page, as staff see them.</summary>
    private static async Task ScreenshotDetailsAsync(IPage page, string form, string name)
    {
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.Locator($"{form} .form-actions").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", name + "-page.png") });
        await page.Locator("#details").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Repository.Output, "screenshots", name + ".png") });
    }

}
