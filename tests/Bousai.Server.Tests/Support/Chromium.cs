using Microsoft.Playwright;

namespace Bousai.Server.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright for the browser tests. Pages it opens keep their console, errors
/// and failed requests in <see cref="Log"/>, and a wait that times out leaves a screenshot and that log to explain it.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly List<string> _log = [];

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public IReadOnlyList<string> Log => _log;

    /// <summary>The flags keep Chromium off the closed network of these machines (no background requests, no QUIC).</summary>
    public static async Task<Chromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("BOUSAI_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A page of the given size whose console, errors and failed requests go to the log (prefixed by <paramref name="who"/>).</summary>
    public async Task<IPage> OpenPageAsync(int width, int height, string? who = null)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        return Logged(page, who);
    }

    /// <summary>Sends a page's console, errors and failed requests to the log, for a page opened in a context of the test's own.</summary>
    public IPage Logged(IPage page, string? who = null)
    {
        var prefix = who is null ? "" : who + " ";
        page.Console += (_, message) => _log.Add($"{prefix}console {message.Type}: {message.Text}");
        page.PageError += (_, error) => _log.Add($"{prefix}page error: {error}");
        page.RequestFailed += (_, request) => _log.Add($"{prefix}request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) => { if (response.Status >= 400) _log.Add($"{prefix}HTTP {response.Status}: {response.Url}"); };
        return page;
    }

    /// <summary>Signs in through the login form, in Japanese, as a member of staff does.</summary>
    public static async Task SignInAsync(IPage page, BousaiApp app, string userName)
    {
        await page.GotoAsync(new Uri(app.BaseAddress, "/login?lang=ja").ToString());
        await page.GetByLabel("ユーザー名").FillAsync(userName);
        await page.GetByLabel("パスワード").FillAsync(BousaiApp.Password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "ログイン" }).ClickAsync();
    }

    /// <summary>Waits for <paramref name="selector"/> to be in the page (or, with Detached, to leave it).</summary>
    public async Task WaitForAsync(IPage page, string selector, string name, WaitForSelectorState state = WaitForSelectorState.Attached,
        int timeoutMs = 30_000)
    {
        try
        {
            await page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { Timeout = timeoutMs, State = state });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Output, name + "-timeout.png") });
            var what = state == WaitForSelectorState.Detached ? "never went from" : "never appeared on";
            Assert.Fail($"{selector} {what} {page.Url}.\n{string.Join("\n", _log)}");
        }
    }

    /// <summary>Waits for the page to say its map is drawn.</summary>
    public Task WaitForMapAsync(IPage page, string name) => WaitForAsync(page, "body[data-map-ready='true']", name, timeoutMs: 60_000);

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
