using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// Debian's Chromium, signed in as HQ, visits a page on another port of the same loopback host (same site, other
/// origin: the browser sends the session cookie along), which tries to change alerts and read the staff hub. And the
/// product's own pages work under the Content-Security-Policy without a single violation.
/// </summary>
public sealed class CrossSiteBrowserTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel();
    private WebApplication _foreign = null!;
    private Chromium _chromium = null!;
    private readonly List<string> _log = [];

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(_app.BaseAddress.Host), 0));
        _foreign = builder.Build();
        _foreign.MapGet("/", (string target, long alert) => Results.Content(ForeignPage(target, alert), "text/html; charset=utf-8"));
        await _foreign.StartAsync();
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _foreign.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    /// <summary>What a page on another port could do with HQ's cookie: acknowledge and clear, then stream the staff situation over a WebSocket.</summary>
    private static string ForeignPage(string target, long alert) => $$"""
        <!doctype html>
        <html><body><script>
        window.attempt = (async () => {
          const target = {{JsonSerializer.Serialize(target)}};
          const result = { writes: [], frames: [], opened: false };
          for (const action of ['acknowledge', 'clear']) {
            try {
              const r = await fetch(`${target}/api/alerts/{{alert}}/${action}`, { method: 'POST', credentials: 'include', mode: 'no-cors' });
              result.writes.push(action + ': ' + r.type);
            } catch (e) { result.writes.push(action + ': ' + e); }
          }
          result.closed = await new Promise(resolve => {
            const ws = new WebSocket(target.replace(/^http/, 'ws') + '/hubs/situation');
            ws.onopen = () => {
              result.opened = true;
              ws.send('{"protocol":"json","version":1}\u001e');
              ws.send('{"type":4,"invocationId":"1","target":"Follow","arguments":[null]}\u001e');
            };
            ws.onmessage = e => result.frames.push(String(e.data));
            ws.onclose = e => resolve('closed ' + e.code);
            setTimeout(() => { ws.close(); resolve('timed out'); }, 5000);
          });
          return result;
        })();
        </script></body></html>
        """;

    private async Task<IPage> SignedInPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        page.Console += (_, message) => _log.Add($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => _log.Add($"page error: {error}");
        await Chromium.SignInAsync(page, _app, "hq");
        await page.WaitForSelectorAsync("body[data-map-ready='true']", new PageWaitForSelectorOptions { Timeout = 60_000, State = WaitForSelectorState.Attached });
        return page;
    }

    [Fact]
    public async Task A_page_on_another_port_of_the_same_host_can_neither_change_alerts_nor_read_the_staff_hub()
    {
        using var hq = await _app.SignedInClientAsync("hq");
        var raised = await hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", level = 4, message = "中橋 氾濫危険水位" });
        var alert = (await raised.Content.ReadFromJsonAsync<JsonObject>())!["alertId"]!.GetValue<long>();
        await using var context = await _chromium.Browser.NewContextAsync();
        var page = await SignedInPageAsync(context);
        var target = _app.BaseAddress.GetLeftPart(UriPartial.Authority);

        await page.GotoAsync($"{_foreign.Urls.First()}/?target={Uri.EscapeDataString(target)}&alert={alert}");
        var attempt = await page.EvaluateAsync<JsonElement>("() => window.attempt");

        Assert.Equal(("raised", 0L, 0L), (await _app.Database.ScalarAsync<string>($"SELECT status FROM alerts WHERE id = {alert}"),
            await _app.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE id = {alert} AND acknowledged_by IS NOT NULL"),
            await _app.Database.ScalarAsync<long>($"SELECT count(*) FROM alerts WHERE id = {alert} AND cleared_by IS NOT NULL")));
        Assert.False(attempt.GetProperty("opened").GetBoolean(), "the staff hub accepted a WebSocket from another origin: " + attempt);
        Assert.Empty(attempt.GetProperty("frames").EnumerateArray());
        // The same browser, on the product's own page, still acknowledges: the cookie was there, the origin was not ours.
        var ownPage = await context.NewPageAsync();
        await ownPage.GotoAsync(new Uri(_app.BaseAddress, "/public").ToString());
        var own = await ownPage.EvaluateAsync<int>(
            $"async () => (await fetch('/api/alerts/{alert}/acknowledge', {{ method: 'POST' }})).status");
        Assert.Equal(200, own);
    }

    [Fact]
    public async Task The_pages_run_under_the_content_security_policy_without_a_violation()
    {
        await using var context = await _chromium.Browser.NewContextAsync();
        await context.AddInitScriptAsync("""
            window.cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
            """);
        var violations = new List<string>();
        context.Console += (_, message) => { if (message.Text.Contains("Content Security Policy")) violations.Add(message.Text); };
        var map = await SignedInPageAsync(context);
        await map.WaitForSelectorAsync("body[data-live-state='live']", new PageWaitForSelectorOptions { Timeout = 30_000, State = WaitForSelectorState.Attached });

        var pages = new Dictionary<string, IPage> { ["/"] = map };
        foreach (var path in new[] { "/public", "/login" })
        {
            var page = await context.NewPageAsync();
            var response = await page.GotoAsync(new Uri(_app.BaseAddress, path).ToString());
            Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"]);
            pages[path] = page;
        }

        await pages["/public"].WaitForSelectorAsync("body[data-map-ready='true']", new PageWaitForSelectorOptions { Timeout = 60_000, State = WaitForSelectorState.Attached });
        Assert.Equal("rgb(11, 79, 138)", await pages["/login"].EvaluateAsync<string>("() => getComputedStyle(document.querySelector('button')).backgroundColor"));
        foreach (var (path, page) in pages)
        {
            violations.AddRange((await page.EvaluateAsync<string[]>("() => window.cspViolations")).Select(v => path + ": " + v));
        }

        Assert.True(violations.Count == 0, "CSP violations:\n" + string.Join("\n", violations) + "\n" + string.Join("\n", _log));
        Assert.Contains("script-src 'self'", (await (await map.ReloadAsync())!.AllHeadersAsync())["content-security-policy"]);
    }
}
