using System.Globalization;
using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// The system recommends, a person issues (web/src/hq/recommendations.ts), residents see it: in Debian's Chromium
/// against the real server, from a gauge reading over MQTT to the public view.
/// </summary>
public sealed class RecommendationBrowserTests : IAsyncLifetime
{
    private const string Yashiro = "district-yashiro";

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
    public async Task Hq_issues_an_evacuation_order_for_Yashiro_from_the_recommendation_and_the_public_view_shows_it_within_two_seconds()
    {
        var residents = await _chromium.OpenPageAsync(360, 740, "residents");
        await residents.GotoAsync(Url("/public"));
        await _chromium.WaitForAsync(residents, "body[data-live-state='live']", "recommendation-public");
        var hq = await _chromium.OpenPageAsync(1366, 768, "hq");
        await Chromium.SignInAsync(hq, _app, "hq");
        await _chromium.WaitForMapAsync(hq, "recommendation-hq");
        await _chromium.WaitForAsync(hq, "body[data-live-state='live']", "recommendation-hq");

        // 屋代川 at 中橋 above 氾濫危険水位 (2.8 m).
        await using (var gauge = await _app.GaugeAsync())
        {
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            await gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", $$"""[{"observedAt":"{{now}}","value":2.95,"unit":"m"}]""");
        }

        long recommendation = 0;
        await Eventually.TrueAsync(async () =>
        {
            recommendation = await _app.Database.ScalarAsync<long?>(
                $"SELECT id FROM evacuation_recommendations WHERE district_id = '{Yashiro}' AND level = 4 AND status = 'open'") ?? 0;
            return recommendation != 0;
        }, "a recommendation of 避難指示 for 屋代地区");
        var row = $"[data-recommendation-id='{recommendation}']";
        await _chromium.WaitForAsync(hq, $"{row} [data-action='issue']", "recommendation-hq");
        Assert.Contains("屋代", await hq.Locator(row).InnerTextAsync());
        await hq.Locator($"{row} [data-action='issue']").ClickAsync();
        await hq.Locator($"{row} [name='decidedBy']").FillAsync("本部長（町長）");
        Assert.False(string.IsNullOrWhiteSpace(await hq.Locator($"{row} [name='reason']").InputValueAsync()),
            "the form starts from the recommendation's reason");
        await hq.Locator(row).ScreenshotAsync(new LocatorScreenshotOptions
        {
            Path = Path.Combine(Repository.Output, "recommendation-issue-ja.png"),
        });

        await hq.Locator($"{row} button[type='submit']").ClickAsync();
        await residents.WaitForSelectorAsync($"#level-board [data-district-id='{Yashiro}'][data-level='4']",
            new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 2_000 });

        Assert.Equal(recommendation, await _app.Database.ScalarAsync<long?>(
            $"SELECT recommendation_id FROM district_evacuation_levels WHERE district_id = '{Yashiro}' AND level = 4 AND drill_id IS NULL"));
        Assert.Equal("issued", await _app.Database.ScalarAsync<string>($"SELECT status FROM evacuation_recommendations WHERE id = {recommendation}"));
        Assert.Contains("避難指示", await residents.Locator($"#level-board [data-district-id='{Yashiro}']").InnerTextAsync());
        await residents.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "public-level-board-ja.png") });
    }

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();
}
