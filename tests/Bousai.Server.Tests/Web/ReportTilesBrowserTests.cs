using Bousai.Server.Tests.Support;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// The HQ map with many field reports (web/src/core/layers/reportTiles.ts), in Debian's Chromium against the real server:
/// it draws them from PostGIS vector tiles instead of one feature each, says so in the layer list, and a report picked
/// from the queue and then clicked on the map opens its details.
/// </summary>
public sealed class ReportTilesBrowserTests : IAsyncLifetime
{
    private const int Reports = 700;

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
    public async Task With_many_reports_the_map_loads_them_as_tiles_and_a_report_clicked_on_the_map_opens()
    {
        // Reports as the field page would leave them, written at once (the page reads the situation when it opens).
        var written = await _app.Database.ScalarAsync<long>($"""
            WITH written AS (INSERT INTO field_reports (category, description, reported_by, reported_at, observed_at, geom, status, client_id, severity)
            SELECT (ARRAY['flooding', 'road_blocked', 'landslide'])[1 + i % 3], '報告 ' || i, (SELECT id FROM users WHERE user_name = 'field'),
                   now() - i * interval '10 seconds', now() - i * interval '10 seconds',
                   ST_SetSRID(ST_MakePoint(140.16 + (i % 35) * 0.002, 37.98 + (i / 35) * 0.0015), 4326), 'new', gen_random_uuid(),
                   (ARRAY['minor', 'serious', 'critical'])[1 + i % 3]
            FROM generate_series(1, {Reports}) i RETURNING id)
            SELECT count(*) FROM written
            """);
        Assert.Equal(Reports, written);

        var page = await _chromium.OpenPageAsync(1366, 768);
        var tiles = 0;
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/tiles/all-reports/") && response.Status == 200) Interlocked.Increment(ref tiles);
        };
        await Chromium.SignInAsync(page, _app, "hq");
        await _chromium.WaitForMapAsync(page, "report-tiles");
        await _chromium.WaitForAsync(page, "#map[data-reports-mode='tiles']", "report-tiles");
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref tiles) > 0), "no report tile was loaded");
        Assert.Contains("タイル表示", await page.Locator("#layer-list").InnerTextAsync());
        await page.WaitForTimeoutAsync(1_000);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "hq-report-tiles-town.png") });

        // From the queue: the map centres on the report at zoom 16, where the tiles hold each report.
        var first = page.Locator("#triage-queue [data-report-id]").First;
        var reportId = await first.GetAttributeAsync("data-report-id");
        await first.Locator("button").ClickAsync();
        await _chromium.WaitForAsync(page, "#details:not([hidden])", "report-tiles-details");
        await page.Locator("#details-close").ClickAsync();
        await page.WaitForTimeoutAsync(1_500); // the zoom animation, then the zoom-16 tiles
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await _chromium.WaitForAsync(page, "#details:not([hidden])", "report-tiles-click");
        Assert.Contains($"#{reportId}", await page.Locator("#details").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, "hq-report-tiles-report.png") });
    }
}
