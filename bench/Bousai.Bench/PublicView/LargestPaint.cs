using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace Bousai.Bench.PublicView;

/// <summary>
/// When a resident on a mid-range phone over a slow 4G link can read the list: largest contentful paint of the public
/// pages in Debian's Chromium at 360×740, with Lighthouse's mobile throttling (150 ms round trip, 1.6 Mbit/s down,
/// 750 kbit/s up, CPU 4× slower), each load in a fresh context (nothing cached). The baseline of the same run is the
/// same page with JavaScript off: the HTML and its styles alone, so the ratio says what the script costs the list.
/// </summary>
public static class LargestPaint
{
    public const double TargetMs = 2500;

    public sealed record Row(string Name, string Path, bool JavaScript, IReadOnlyList<double> PaintsMs)
    {
        public double MedianMs => PaintsMs.Order().ElementAt(PaintsMs.Count / 2);
    }

    public static async Task<IReadOnlyList<Row>> MeasureAsync(Uri server, string chromium, int runs, TextWriter progress)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
        });
        var cases = new (string Name, string Path, bool JavaScript)[]
        {
            ("/public, JavaScript off (baseline)", "/public", false), ("/public", "/public", true), ("/public/en", "/public/en", true),
            ("/public/text (災害時軽量版)", "/public/text", false),
        };
        var rows = new List<Row>();
        foreach (var (name, path, javaScript) in cases)
        {
            var paints = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                paints.Add(await OnceAsync(browser, new Uri(server, path), javaScript));
            }

            progress.WriteLine($"[bench] LCP {name}: {string.Join(", ", paints.Select(p => p.ToString("0", CultureInfo.InvariantCulture)))} ms");
            rows.Add(new Row(name, path, javaScript, paints));
        }

        return rows;
    }

    private static async Task<double> OnceAsync(IBrowser browser, Uri url, bool javaScript)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
            JavaScriptEnabled = javaScript,
        });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 150, ["downloadThroughput"] = 1.6 * 1024 * 1024 / 8, ["uploadThroughput"] = 750 * 1024 / 8,
        });
        await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });
        await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        // The largest paint so far, from the browser's own record (buffered: it happened before we asked).
        var result = await cdp.SendAsync("Runtime.evaluate", new Dictionary<string, object>
        {
            ["expression"] = "new Promise(resolve => new PerformanceObserver(list => { const e = list.getEntries(); resolve(e[e.length - 1].startTime); })" +
                             ".observe({ type: 'largest-contentful-paint', buffered: true }))",
            ["awaitPromise"] = true, ["returnByValue"] = true,
        });
        return result!.Value.GetProperty("result").GetProperty("value").GetDouble();
    }

    public static string Render(IReadOnlyList<Row> rows)
    {
        var text = new StringBuilder();
        var baseline = rows[0].MedianMs;
        text.AppendLine();
        text.AppendLine("### Largest contentful paint on a slow 4G phone");
        text.AppendLine();
        text.AppendLine("Chromium at 360×740 (mobile, DPR 2), Lighthouse's mobile throttling (RTT 150 ms, 1.6 Mbit/s down, 750 kbit/s up, CPU 4×), " +
                        "every load in a fresh context with the cache off; median of the runs. Baseline: the same page with JavaScript off.");
        text.AppendLine();
        text.AppendLine("| page | LCP median (ms) | runs (ms) | / baseline | within 2.5 s |");
        text.AppendLine("|---|---:|---|---:|---|");
        foreach (var row in rows)
        {
            text.AppendLine($"| {row.Name} | {row.MedianMs:0} | {string.Join(", ", row.PaintsMs.Select(p => p.ToString("0", CultureInfo.InvariantCulture)))} | " +
                            $"{row.MedianMs / baseline:0.00}× | {(row.MedianMs <= TargetMs ? "yes" : "**no**")} |");
        }

        return text.ToString();
    }
}
