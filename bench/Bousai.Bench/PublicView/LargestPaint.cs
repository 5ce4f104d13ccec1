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
        // Read from the browser's own timeline over the DevTools protocol, not by script in the page: the baseline has
        // JavaScript off. Times are wall-clock seconds; the document request's start stands for the navigation's.
        double? requestSent = null, lastPaint = null;
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) =>
        {
            if (e is { } ev && requestSent is null && ev.GetProperty("type").GetString() == "Document") requestSent = ev.GetProperty("wallTime").GetDouble();
        };
        cdp.Event("PerformanceTimeline.timelineEventAdded").OnEvent += (_, e) =>
        {
            if (e is not { } ev || !ev.GetProperty("event").TryGetProperty("lcpDetails", out var lcp)) return;
            var at = lcp.GetProperty("renderTime").GetDouble();
            lastPaint = at > 0 ? at : lcp.GetProperty("loadTime").GetDouble();
        };
        await cdp.SendAsync("PerformanceTimeline.enable", new Dictionary<string, object> { ["eventTypes"] = new[] { "largest-contentful-paint" } });
        await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        // A paint after load (the script taking a part over) is still a candidate until the page is used: give it a moment.
        await Task.Delay(TimeSpan.FromSeconds(2));
        if (requestSent is not { } start || lastPaint is not { } paint)
        {
            throw new InvalidOperationException($"No largest contentful paint recorded for {url} (document request seen: {requestSent is not null}).");
        }

        return (paint - start) * 1000;
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
