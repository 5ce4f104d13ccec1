using System.Net;
using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// HQ triages field reports from crews' phones in headless Chromium: verifies one, rejects one with a reason, merges a
/// duplicate into another (its photo moves across), assigns one to a field crew and makes a photo public; residents
/// then see only the verified report in a public category, with HQ's summary and the public photo.
/// </summary>
public sealed class ReportTriageBrowserTests : IAsyncLifetime
{
    /// <summary>Markup in a crew's free text: rendered, it would set window.__xss.</summary>
    private const string Markup = "<img src=x onerror=window.__xss=1>";

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
    public async Task HQ_verifies_rejects_merges_and_assigns_reports_and_residents_see_only_the_verified_public_one()
    {
        using var field = await _app.SignedInClientAsync("field");
        var road = await field.SubmitReportAsync("road_blocked", "serious", $"{Markup} 県道が冠水して通行止め", 140.2012, 38.0105, photos: 1);
        var flooding = await field.SubmitReportAsync("flooding", "critical", "田んぼの水が道路にあふれている", 140.2102, 38.0150);
        var landslide = await field.SubmitReportAsync("landslide", "minor", "訓練中の報告です", 140.1830, 38.0280);
        var sameRoad = await field.SubmitReportAsync("road_blocked", "minor", "同じ県道の通行止め（別の班から）", 140.2015, 38.0107, photos: 1);
        var rescue = await field.SubmitReportAsync("rescue_needed", "critical", "倒木で車が動けない", 140.1650, 37.9950);

        var page = await _chromium.OpenPageAsync(1366, 768, "hq");
        await Chromium.SignInAsync(page, _app, "hq");
        await _chromium.WaitForAsync(page, "body[data-live-state='live']", "triage");
        await _chromium.WaitForMapAsync(page, "triage");
        foreach (var id in new[] { road, flooding, landslide, sameRoad, rescue })
        {
            await _chromium.WaitForAsync(page, Row(id, "new"), "triage");
        }

        // Critical first (the one waiting longest first), then serious, then minor.
        var order = await page.EvaluateAsync<long[]>("() => [...document.querySelectorAll('#report-list [data-report-id]')].map(li => Number(li.dataset.reportId))");
        Assert.Equal([flooding, rescue, road, landslide, sameRoad], order);
        await Screenshot(page, "triage-queue-ja");
        await page.EvaluateAsync("() => document.getElementById('legend-list').scrollIntoView({ block: 'start' })");
        await page.Locator("#sidebar").ScreenshotAsync(new LocatorScreenshotOptions { Path = Shot("triage-legend-ja") });
        await page.EvaluateAsync("() => document.getElementById('sidebar').scrollTo(0, 0)");

        // Verify the road closure, with a comment.
        var form = await OpenReportAsync(page, road);
        Assert.Contains(Markup, await page.Locator("#details-body dl").InnerTextAsync());
        await form("status").GetByRole(AriaRole.Radio, new() { Name = "確認済みにする", Exact = true }).CheckAsync();
        await form("status").GetByLabel("コメント（任意）").FillAsync("写真で冠水と通行止めを確認");
        await form("status").GetByRole(AriaRole.Button, new() { Name = "状態を変更する" }).ClickAsync();
        await _chromium.WaitForAsync(page, Row(road, "verified"), "triage");

        // A public summary, and its first photo made public.
        await form("notes").GetByLabel("公開用の要約").FillAsync("県道1号 中心部付近は通行止めです。迂回してください。");
        await form("notes").GetByRole(AriaRole.Button, new() { Name = "保存する" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#report-form-{road}-notes .form-done", "triage");
        await page.Locator($"#details-body .photo-grid li[data-position='1'] input[type='checkbox']").CheckAsync();
        await _chromium.WaitForAsync(page, "#details-body .photo-grid li[data-position='1'][data-public='true']", "triage");
        Assert.Equal("写真1（", (await page.Locator("#details-body .photo-grid img").First.GetAttributeAsync("alt"))![..4]);
        await Screenshot(page, "triage-verified-ja");

        // Reject the training report: not without a reason.
        form = await OpenReportAsync(page, landslide);
        await form("status").GetByRole(AriaRole.Radio, new() { Name = "却下する（理由が必要）", Exact = true }).CheckAsync();
        await form("status").GetByRole(AriaRole.Button, new() { Name = "状態を変更する" }).ClickAsync();
        Assert.Contains("却下の理由を入力してください。", await form("status").InnerTextAsync());
        Assert.Equal("new", await StatusAsync(landslide));
        await form("status").GetByLabel("却下の理由（必須）").FillAsync("訓練の報告で実際の被害ではない");
        await form("status").GetByRole(AriaRole.Button, new() { Name = "状態を変更する" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#report-form-{landslide}-status .form-done", "triage");
        // The queue shows open reports: the rejected one leaves it.
        await _chromium.WaitForAsync(page, $"#report-list [data-report-id='{landslide}']", "triage", WaitForSelectorState.Detached);
        Assert.Equal("rejected:訓練の報告で実際の被害ではない", await _app.Database.ScalarAsync<string>(
            $"SELECT status || ':' || rejection_reason FROM field_reports WHERE id = {landslide}"));

        // Merge the second road report into the first: asked once more, then its photo moves across.
        form = await OpenReportAsync(page, sameRoad);
        await form("duplicate").GetByLabel("まとめ先の報告番号（#）").FillAsync(road.ToString());
        await form("duplicate").GetByRole(AriaRole.Button, new() { Name = "まとめる内容の確認へ" }).ClickAsync();
        await Screenshot(page, "triage-merge-confirm-ja");
        await page.Locator($"#report-form-{sameRoad}-duplicate").GetByRole(AriaRole.Button, new() { Name = $"#{road} にまとめる" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#report-form-{sameRoad}-duplicate .form-done", "triage");
        Assert.Equal($"duplicate:{road}", await _app.Database.ScalarAsync<string>(
            $"SELECT status || ':' || duplicate_of FROM field_reports WHERE id = {sameRoad}"));

        await OpenReportAsync(page, road);
        await _chromium.WaitForAsync(page, "#details-body .photo-grid li[data-position='2']", "triage");
        var history = page.Locator("#details-body .history-list");
        await history.Locator($"li:has-text('#{sameRoad}')").First.WaitForAsync();
        Assert.Contains("写真で冠水と通行止めを確認", await history.InnerTextAsync());
        await history.ScrollIntoViewIfNeededAsync();
        await Screenshot(page, "triage-merged-history-ja");

        // Assign the rescue to the field crew.
        form = await OpenReportAsync(page, rescue);
        await form("assignment").GetByLabel("担当する現地班").SelectOptionAsync("field");
        await form("assignment").GetByRole(AriaRole.Button, new() { Name = "担当を設定する" }).ClickAsync();
        await _chromium.WaitForAsync(page, $"#report-form-{rescue}-assignment .form-done", "triage");
        await _chromium.WaitForAsync(page, $"#report-list [data-report-id='{rescue}']:has-text('担当：field テスト')", "triage");
        Assert.Equal("field", await _app.Database.ScalarAsync<string>(
            $"SELECT u.user_name FROM field_reports r JOIN users u ON u.id = r.assigned_to WHERE r.id = {rescue}"));
        Assert.True(await _app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE entity = 'field_report' AND entity_id = '{rescue}' AND actor = 'hq'") >= 1);
        await Screenshot(page, "triage-assigned-ja");

        await page.Locator("#language-switch button[data-lang='en']").ClickAsync();
        await OpenReportAsync(page, road);
        await page.Locator("#details-body").GetByText("History").First.WaitForAsync();
        await Screenshot(page, "triage-details-en");
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));

        // Residents, on a phone and signed out.
        var residents = await _chromium.OpenPageAsync(360, 740, "public");
        await residents.GotoAsync(new Uri(_app.BaseAddress, "/public?lang=ja").ToString());
        await _chromium.WaitForAsync(residents, "body[data-live-state='live']", "triage-public");
        await _chromium.WaitForAsync(residents, $"#report-cards [data-report-id='{road}']", "triage-public");
        var cards = residents.Locator("#report-cards [data-report-id]");
        Assert.Equal(1, await cards.CountAsync());
        var card = cards.First;
        var text = await card.InnerTextAsync();
        Assert.Contains("道路通行止め", text);
        Assert.Contains("確認済み", text);
        Assert.Contains("県道1号 中心部付近は通行止めです。迂回してください。", text);
        // Only the photo HQ made public; the merged one stays private.
        var images = card.Locator("img");
        Assert.Equal(1, await images.CountAsync());
        Assert.Equal($"/api/reports/{road}/photos/1/thumbnail", await images.First.GetAttributeAsync("src"));
        // Thumbnails load lazily: in view, it arrives.
        await card.ScrollIntoViewIfNeededAsync();
        await residents.WaitForFunctionAsync("() => { const img = document.querySelector('#report-cards img'); return img.complete && img.naturalWidth > 0; }");
        using (var anonymous = _app.Client())
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/reports/{road}/photos/1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/reports/{road}/photos/2")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/reports/{flooding}/photos/1")).StatusCode);
        }

        var body = await residents.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("田んぼの水", body);
        Assert.DoesNotContain("県道が冠水して通行止め", body);
        Assert.DoesNotContain("field テスト", body);
        Assert.DoesNotContain("写真で冠水と通行止めを確認", body);
        Assert.Equal(0, await residents.Locator($"[data-report-id='{flooding}'], [data-report-id='{sameRoad}'], [data-report-id='{rescue}']").CountAsync());
        await residents.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("triage-public-360-card") });
        await residents.EvaluateAsync("() => window.scrollTo(0, 0)");
        await residents.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("triage-public-360") });
        Assert.Null(await residents.EvaluateAsync<int?>("() => window.__xss ?? null"));

        // Resolved: the road is open again, and the report leaves the public view live.
        await page.Locator("#language-switch button[data-lang='ja']").ClickAsync();
        form = await OpenReportAsync(page, road);
        await form("status").GetByRole(AriaRole.Radio, new() { Name = "解決にする", Exact = true }).CheckAsync();
        await form("status").GetByRole(AriaRole.Button, new() { Name = "状態を変更する" }).ClickAsync();
        await _chromium.WaitForAsync(residents, $"#report-cards [data-report-id='{road}']", "triage-public", WaitForSelectorState.Detached);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        // Every request of both pages was answered, none refused or failed (markup rendered as HTML would ask for /x).
        var problems = _chromium.Log.Where(line => line.Contains("HTTP ") || line.Contains("page error") || line.Contains("request failed")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string Row(long reportId, string status) => $"#report-list [data-report-id='{reportId}'][data-status='{status}']";

    private Task<string> StatusAsync(long reportId) => _app.Database.ScalarAsync<string>($"SELECT status FROM field_reports WHERE id = {reportId}");

    /// <summary>Opens a report's details from the triage queue (any status) and returns its forms by name.</summary>
    private async Task<Func<string, ILocator>> OpenReportAsync(IPage page, long reportId)
    {
        await page.Locator("#triage-queue select[name='status']").SelectOptionAsync("all");
        await page.Locator($"#report-list [data-report-id='{reportId}'] button").ClickAsync();
        await _chromium.WaitForAsync(page, $"#details-body [id^='report-form-{reportId}-']", "triage");
        await page.Locator("#triage-queue select[name='status']").SelectOptionAsync("open");
        return name => page.Locator($"#report-form-{reportId}-{name}");
    }

    private static string Shot(string name) => Path.Combine(Repository.Output, "screenshots", name + ".png");

    private static async Task Screenshot(IPage page, string name)
    {
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot(name) });
    }
}
