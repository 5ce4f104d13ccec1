using System.Net;
using System.Text.RegularExpressions;
using Bousai.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Web;

/// <summary>The server behind a gateway that forwards X-Forwarded-Proto (as compose runs it), with the GSI basemap configured.</summary>
public sealed partial class SecurityHeaderTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string>
    {
        ["FORWARDEDHEADERS_ENABLED"] = "true",
        ["Map:BasemapUrl"] = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
    });

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private HttpClient Plain() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };

    private string AnAsset()
    {
        var assets = _app.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider.GetDirectoryContents("assets");
        var js = assets.FirstOrDefault(f => f.Name.EndsWith(".js"));
        Assert.True(js is not null, "the web client is not built (npm run build in web/)");
        return "/assets/" + js!.Name;
    }

    [Fact]
    public async Task Every_kind_of_answer_carries_the_security_headers()
    {
        using var anonymous = Plain();
        using var hq = await _app.SignedInClientAsync("hq");
        using var field = await _app.SignedInClientAsync("field");
        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["field page"] = await field.GetAsync("/field"),
            ["field service worker"] = await anonymous.GetAsync("/field-sw.js"),
            ["HQ map (redirect)"] = await anonymous.GetAsync("/"),
            ["HQ map"] = await hq.GetAsync("/"),
            ["public page"] = await anonymous.GetAsync("/public"),
            ["login page"] = await anonymous.GetAsync("/login"),
            ["login stylesheet"] = await anonymous.GetAsync("/login.css"),
            ["asset"] = await anonymous.GetAsync(AnAsset()),
            ["API"] = await anonymous.GetAsync("/api/config"),
            ["API refusal"] = await anonymous.GetAsync("/api/me"),
            ["404"] = await anonymous.GetAsync("/no-such-page"),
        };

        Assert.Equal(HttpStatusCode.NotFound, answers["404"].StatusCode);
        Assert.Equal(HttpStatusCode.OK, answers["asset"].StatusCode);
        Assert.Equal(HttpStatusCode.OK, answers["field page"].StatusCode);
        Assert.Equal("text/javascript", answers["field service worker"].Content.Headers.ContentType?.MediaType);
        foreach (var (what, answer) in answers)
        {
            var csp = Header(answer, "Content-Security-Policy");
            Assert.True(csp is not null, what + " has no Content-Security-Policy");
            foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                         "frame-ancestors 'none'", "form-action 'self'", "connect-src 'self'", "style-src 'self'",
                         "img-src 'self' data: https://cyberjapandata.gsi.go.jp" })
            {
                Assert.True(csp!.Contains(directive), $"{what}: CSP lacks {directive}: {csp}");
            }

            Assert.DoesNotContain("unsafe", csp);
            Assert.Equal("nosniff", Header(answer, "X-Content-Type-Options"));
            Assert.Equal("DENY", Header(answer, "X-Frame-Options"));
            Assert.Equal("same-origin", Header(answer, "Referrer-Policy"));
        }
    }

    [Fact]
    public async Task The_login_page_has_no_inline_script_or_style()
    {
        using var anonymous = Plain();

        var page = await anonymous.GetStringAsync("/login");

        Assert.DoesNotContain("<script", page);
        Assert.DoesNotContain("<style", page);
        Assert.DoesNotContain(" style=", page);
        Assert.Contains("""<link rel="stylesheet" href="/login.css">""", page);
    }

    [Fact]
    public async Task The_session_cookie_is_strict_and_secure_when_the_browser_came_over_https()
    {
        var overHttps = await SignInAsync(forwardedProto: "https");
        var overHttp = await SignInAsync(forwardedProto: null);

        Assert.Matches("(?i); secure", overHttps);
        Assert.Matches("(?i); samesite=strict", overHttps);
        Assert.Matches("(?i); httponly", overHttps);
        Assert.DoesNotMatch("(?i); secure", overHttp);
        Assert.Matches("(?i); samesite=strict", overHttp);
    }

    [Fact]
    public async Task Behind_the_gateway_the_origin_check_compares_with_the_browsers_https_origin()
    {
        var own = $"https://{_app.BaseAddress.Authority}";
        using var hq = await _app.SignedInClientAsync("hq");

        using var fromOwnPage = new HttpRequestMessage(HttpMethod.Post, "/hubs/situation/negotiate?negotiateVersion=1")
        {
            Headers = { { "Origin", own }, { "X-Forwarded-Proto", "https" } },
        };
        using var fromHttpPage = new HttpRequestMessage(HttpMethod.Post, "/hubs/situation/negotiate?negotiateVersion=1")
        {
            Headers = { { "Origin", $"http://{_app.BaseAddress.Authority}" }, { "X-Forwarded-Proto", "https" } },
        };

        Assert.Equal(HttpStatusCode.OK, (await hq.SendAsync(fromOwnPage)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hq.SendAsync(fromHttpPage)).StatusCode);
    }

    /// <summary>Signs in as hq, by hand (cookies are Secure over https), and returns the session cookie's Set-Cookie line.</summary>
    private async Task<string> SignInAsync(string? forwardedProto)
    {
        using var client = Plain();
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/login");
        if (forwardedProto is not null) pageRequest.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var page = await client.SendAsync(pageRequest);
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith(".AspNetCore.Antiforgery"));
        var token = AntiforgeryField().Match(await page.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups[1].Value] = token.Groups[2].Value, ["userName"] = "hq", ["password"] = BousaiApp.Password, ["returnUrl"] = "/",
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", antiforgeryCookie));
        if (forwardedProto is not null) post.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("bousai.session="));
    }

    private static string? Header(HttpResponseMessage answer, string name) =>
        answer.Headers.TryGetValues(name, out var values) || answer.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    [GeneratedRegex("""<input type="hidden" name="(__RequestVerificationToken)" value="([^"]+)">""")]
    private static partial Regex AntiforgeryField();
}
