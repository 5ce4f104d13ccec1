using System.Net.Http.Json;
using Bousai.Server.Accounts;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace Bousai.Server.Tests.Web;

/// <summary>HQ raises, acknowledges and clears an alert on screen, while a second HQ screen follows every step live.</summary>
public sealed class AlertBrowserTests : IAsyncLifetime
{
    private const string Message = "屋代の裏山で土砂崩れ、町道を通行止め";
    private const string Note = "土砂は撤去済み、通行止め解除";

    private readonly BousaiApp _app = BousaiApp.OnKestrel();
    private Chromium _chromium = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        // A second HQ account, so the second screen is someone else's and the records name who did what.
        await _app.Services.GetRequiredService<StaffAccounts>().SaveAsync(
            new NewStaffAccount("hq2", "hq2 テスト", "hq", BousaiApp.Password, []), "test", replaceExisting: true, CancellationToken.None);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task HQ_raises_acknowledges_and_clears_an_alert_and_a_second_HQ_screen_sees_each_step_live()
    {
        var desk = await SignInAsync("hq", 1366, 768);
        var phone = await SignInAsync("hq2", 360, 740);
        await phone.Locator("#language-switch button[data-lang='en']").ClickAsync();
        await WaitForAsync(phone, ".alert-raise-toggle:text('Raise an alert')");

        // The second screen is typing an alert of its own when the first one's arrives: its text and focus stay.
        await phone.GetByRole(AriaRole.Button, new() { Name = "Raise an alert" }).ClickAsync();
        var phoneMessage = phone.Locator("#alert-raise-form").GetByLabel("Message");
        await phoneMessage.FillAsync("Water over the road at Nakahashi");
        await Shot(phone, "alert-raise-form-en-phone");
        await ShotAtBothSizesAsync(phone, "alert-raise-form-en", 360, 740);

        // Keyboard only on the first screen: open the form, choose, type, send.
        await desk.GetByRole(AriaRole.Button, new() { Name = "アラートを発報" }).FocusAsync();
        await desk.Keyboard.PressAsync("Enter");
        var form = desk.Locator("#alert-raise-form");
        await WaitForAsync(desk, "#alert-raise-form-kind:focus");
        await form.GetByLabel("種類").SelectOptionAsync("landslide");
        await form.GetByLabel("警戒レベル（任意）").SelectOptionAsync("4");
        await form.GetByLabel("地区（任意）").SelectOptionAsync("district-yashiro");
        await form.GetByLabel("内容").FillAsync(Message);
        await Shot(desk, "alert-raise-form-ja");
        await form.GetByRole(AriaRole.Button, new() { Name = "発報する" }).FocusAsync();
        await desk.Keyboard.PressAsync("Enter");

        await WaitForAsync(desk, $".alert-notice:has-text('アラートを発報しました：{Message}')");
        var deskItem = desk.Locator($"#alert-list li[data-status='raised']:has-text('{Message}')");
        await WaitForAsync(desk, $"#alert-list li[data-status='raised']:has-text('{Message}')");
        var alertId = await deskItem.GetAttributeAsync("data-alert-id");
        Assert.Contains("土砂災害", await deskItem.InnerTextAsync());
        Assert.Contains("屋代地区", await deskItem.InnerTextAsync());
        await WaitForAsync(phone, $"#alert-list li[data-alert-id='{alertId}'][data-status='raised']");
        Assert.Equal("Water over the road at Nakahashi", await phoneMessage.InputValueAsync());
        Assert.True(await phoneMessage.EvaluateAsync<bool>("el => el === document.activeElement"), "the phone's message lost its focus");
        await phoneMessage.PressAsync("Escape");

        // Acknowledge: the record says who and when, on both screens.
        await deskItem.GetByRole(AriaRole.Button, new() { Name = $"アラート「{Message}」を確認済みにする" }).ClickAsync();
        await WaitForAsync(desk, $"#alert-list li[data-alert-id='{alertId}'][data-status='acknowledged'] .alert-acknowledged-by");
        Assert.Matches(@"確認：\d{1,2}:\d{2} hq", await desk.Locator($"#alert-list li[data-alert-id='{alertId}'] .alert-acknowledged-by").InnerTextAsync());
        await WaitForAsync(phone, $"#alert-list li[data-alert-id='{alertId}'][data-status='acknowledged']");
        Assert.Matches(@"Acknowledged \d{1,2}:\d{2} by hq",
            await phone.Locator($"#alert-list li[data-alert-id='{alertId}'] .alert-acknowledged-by").InnerTextAsync());
        await Shot(desk, "alert-acknowledged-ja");
        await Shot(phone, "alert-acknowledged-en-phone");
        await ShotAtBothSizesAsync(desk, "alert-acknowledged-ja", 1366, 768);
        await ShotAtBothSizesAsync(phone, "alert-acknowledged-en", 360, 740);

        // Clearing asks first; nothing is cleared until the confirmation is sent.
        await desk.Locator($"#alert-list li[data-alert-id='{alertId}'] .alert-clear-open").ClickAsync();
        var clear = desk.Locator($"#alert-clear-{alertId}");
        Assert.Contains($"このアラートを解除します：{Message}", await clear.InnerTextAsync());
        Assert.Equal("acknowledged", await _app.Database.ScalarAsync<string>($"SELECT status FROM alerts WHERE id = {alertId}"));
        await clear.GetByLabel("解除メモ（任意）").FillAsync(Note);
        await clear.GetByRole(AriaRole.Button, new() { Name = "解除する" }).ClickAsync();

        await WaitForAsync(desk, $".alert-notice:has-text('解除しました：{Message}')");
        await WaitForGoneAsync(desk, $"#alert-list li[data-alert-id='{alertId}']");
        await WaitForGoneAsync(phone, $"#alert-list li[data-alert-id='{alertId}']");

        await using var db = new NpgsqlConnection(_app.Database.ConnectionString);
        await db.OpenAsync();
        await using var read = new NpgsqlCommand(
            """
            SELECT a.status, a.kind, a.level, a.district_id, r.user_name, k.user_name, c.user_name, a.note,
                   a.acknowledged_at IS NOT NULL AND a.cleared_at >= a.acknowledged_at
            FROM alerts a JOIN users r ON r.id = a.raised_by JOIN users k ON k.id = a.acknowledged_by JOIN users c ON c.id = a.cleared_by
            WHERE a.id = $1
            """, db);
        read.Parameters.AddWithValue(long.Parse(alertId!));
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(("cleared", "landslide", (short)4, "district-yashiro"), (row.GetString(0), row.GetString(1), row.GetInt16(2), row.GetString(3)));
        Assert.Equal(("hq", "hq", "hq"), (row.GetString(4), row.GetString(5), row.GetString(6)));
        Assert.Equal(Note, row.GetString(7));
        Assert.True(row.GetBoolean(8));
        await row.DisposeAsync();
        Assert.Equal(3L, await _app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE actor = 'hq' AND entity = 'alert' AND entity_id = '{alertId}'"));
    }

    [Fact]
    public async Task Staff_other_than_HQ_see_the_alerts_with_who_raised_them_but_no_way_to_change_them()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        var raised = await hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", level = 4, message = Message });
        Assert.Equal(System.Net.HttpStatusCode.Created, raised.StatusCode);

        var page = await SignInAsync("field", 1366, 768, hqControls: false);
        await WaitForAsync(page, "#account:not([hidden])");
        await WaitForAsync(page, $"#alert-list li[data-status='raised']:has-text('{Message}')");

        Assert.Matches(@"発報：\d{1,2}:\d{2} hq", await page.Locator("#alert-list li .alert-raised-by").InnerTextAsync());
        // The sound's mute toggle is the only button: it changes this browser, not the alert.
        Assert.Equal(0, await page.Locator(".live-panel .alerts button:not(#alert-sound)").CountAsync());
        Assert.Equal(1, await page.Locator("#alert-sound").CountAsync());
    }

    private async Task<IPage> SignInAsync(string user, int width, int height, bool hqControls = true)
    {
        var page = await _chromium.OpenPageAsync(width, height, user);
        await Chromium.SignInAsync(page, _app, user);
        await WaitForAsync(page, "body[data-live-state='live']");
        await WaitForAsync(page, "#district-list li[data-district-id='district-yashiro']");
        if (hqControls) await WaitForAsync(page, ".alert-raise-toggle");
        return page;
    }

    /// <summary>The other size too (a phone becomes a desk and back), then the page's own size again.</summary>
    private static async Task ShotAtBothSizesAsync(IPage page, string name, int width, int height)
    {
        var phone = width < 700;
        await page.SetViewportSizeAsync(phone ? 1366 : 360, phone ? 768 : 740);
        await Shot(page, name + (phone ? "" : "-phone"));
        await page.SetViewportSizeAsync(width, height);
    }

    /// <summary>A screenshot with the alerts in view (on a phone they follow the map down the page).</summary>
    private static async Task Shot(IPage page, string name)
    {
        await page.EvaluateAsync(
            "() => { const alerts = document.querySelector('.live-panel .alerts'); const focused = document.activeElement; (alerts.contains(focused) ? focused : alerts).scrollIntoView({ block: 'center' }); }");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, name + ".png") });
    }

    private Task WaitForAsync(IPage page, string selector) => _chromium.WaitForAsync(page, selector, "alerts");

    private Task WaitForGoneAsync(IPage page, string selector) => _chromium.WaitForAsync(page, selector, "alerts", WaitForSelectorState.Detached);
}
