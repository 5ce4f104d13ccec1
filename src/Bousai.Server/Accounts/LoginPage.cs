using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bousai.Server.Accounts;

public sealed record LoginMessage(string Ja, string En)
{
    public static readonly LoginMessage Missing = new("ユーザー名とパスワードを入力してください。", "Enter your user name and password.");
    public static readonly LoginMessage Wrong = new("ユーザー名またはパスワードが違います。", "The user name or password is wrong.");

    public static LoginMessage TooManyAttempts(int seconds) =>
        new($"ログインの試行が多すぎます。{seconds} 秒後にもう一度お試しください。", $"Too many sign-in attempts: try again in {seconds} s.");
}

/// <summary>The sign-in page: server-rendered, works without JavaScript on any phone. Japanese first, English on request.</summary>
public static class LoginPage
{
    public const string LanguageCookie = "bousai.lang";

    /// <summary>Served as /login.css: a stylesheet of its own, so the page needs no inline style under the Content-Security-Policy.</summary>
    public const string Stylesheet = """
        body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; background: #eef2f5; color: #1a1a1a; font-size: 18px; }
        main { max-width: 26rem; margin: 8vh auto; background: #fff; padding: 1.5rem 1.75rem; border-radius: 8px; box-shadow: 0 1px 4px #0003; }
        h1 { font-size: 1.4rem; margin: 0 0 .25rem; } p.sub { margin: 0 0 1.25rem; color: #444; }
        label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
        input { width: 100%; box-sizing: border-box; font-size: 1.1rem; padding: .6rem; border: 2px solid #666; border-radius: 4px; }
        input:focus, button:focus, a:focus { outline: 3px solid #f5a300; outline-offset: 2px; }
        button { margin-top: 1.5rem; width: 100%; font-size: 1.1rem; padding: .75rem; background: #0b4f8a; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
        .error { background: #fde8e8; border-left: 4px solid #b00020; padding: .6rem .8rem; }
        nav { text-align: right; } nav a { color: #0b4f8a; }
        .public { margin-top: 1.25rem; font-size: .95rem; }
        .simulated { background: #fff4d6; border: 2px dashed #8a5a00; padding: .5rem .75rem; font-weight: 600; }
        """;

    public static string Language(HttpContext http, string? requested)
    {
        var lang = requested ?? http.Request.Cookies[LanguageCookie];
        return lang == "en" ? "en" : "ja";
    }

    public static ContentHttpResult Render(HttpContext http, IAntiforgery antiforgery, string lang, string? returnUrl, LoginMessage? message, int status,
        string? userName = null)
    {
        returnUrl = AccountEndpoints.IsLocal(returnUrl) ? returnUrl : "/";
        http.Response.Cookies.Append(LanguageCookie, lang, new CookieOptions { SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
        var tokens = antiforgery.GetAndStoreTokens(http);
        var ja = lang == "ja";
        string T(string j, string e) => WebUtility.HtmlEncode(ja ? j : e);
        var back = WebUtility.UrlEncode(returnUrl ?? "/");
        var error = message is null ? "" : $"""<p class="error" role="alert">{T(message.Ja, message.En)}</p>""";
        var simulated = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Web.DemoOptions>>().Value.Simulated
            ? $"""<p class="simulated" role="note">{T("デモ：観測データはシミュレーション（模擬）です。実際の水位・雨量ではありません。", "Demo: gauge data are SIMULATED, not real water levels or rain.")}</p>"""
            : "";
        var html = $$"""
            <!doctype html>
            <html lang="{{lang}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{T("ログイン — 防災GIS 高畠町", "Sign in — Bousai Takahata")}}</title>
            <link rel="stylesheet" href="/login.css">
            </head>
            <body>
            <main>
              <nav><a href="/login?lang={{(ja ? "en" : "ja")}}&amp;returnUrl={{back}}" lang="{{(ja ? "en" : "ja")}}">{{(ja ? "English" : "日本語")}}</a></nav>
              <h1>{{T("防災GIS 高畠町", "Bousai — Takahata")}}</h1>
              <p class="sub">{{T("職員ログイン", "Staff sign-in")}}</p>
              {{simulated}}
              {{error}}
              <form method="post" action="/login">
                <input type="hidden" name="{{tokens.FormFieldName}}" value="{{tokens.RequestToken}}">
                <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl ?? "/")}}">
                <input type="hidden" name="lang" value="{{lang}}">
                <label for="userName">{{T("ユーザー名", "User name")}}</label>
                <input id="userName" name="userName" value="{{WebUtility.HtmlEncode(userName ?? "")}}" autocomplete="username" autocapitalize="none" required{{(userName is null ? " autofocus" : "")}}>
                <label for="password">{{T("パスワード", "Password")}}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required{{(userName is null ? "" : " autofocus")}}>
                <button type="submit">{{T("ログイン", "Sign in")}}</button>
              </form>
              <p class="public"><a href="/public">{{T("住民の方：避難所の情報はこちら（ログイン不要）", "Residents: shelter information (no sign-in)")}}</a></p>
            </main>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
