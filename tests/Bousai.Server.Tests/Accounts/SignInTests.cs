using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Accounts;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Accounts;

public sealed class SignInTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    [Fact]
    public async Task The_HQ_map_sends_a_stranger_to_the_Japanese_login_page()
    {
        var client = app.Client();

        var map = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, map.StatusCode);
        Assert.StartsWith("/login?returnUrl=%2F", map.Headers.Location!.PathAndQuery);

        var page = await client.GetStringAsync("/login");
        Assert.Contains("<html lang=\"ja\">", page);
        Assert.Contains("ログイン", page);
        Assert.DoesNotContain("シミュレーション", page); // no simulator configured, so no demo banner
        Assert.Contains("English", page);
        Assert.Contains("Sign in", await client.GetStringAsync("/login?lang=en"));
    }

    [Fact]
    public async Task Staff_sign_in_with_their_password_and_see_who_they_are()
    {
        var client = app.Client();

        var response = await client.SignInAsync("shelter", BousaiApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var me = (await client.GetFromJsonAsync<JsonObject>("/api/me"))!;
        Assert.Equal("shelter", me["role"]!.GetValue<string>());
        Assert.Equal("避難所担当", me["roleJa"]!.GetValue<string>());
        Assert.Equal(["takahata-shelter-09"], me["shelters"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_whether_the_user_exists()
    {
        var wrongPassword = await app.Client().SignInAsync("field", "not-the-password");
        var unknownUser = await app.Client().SignInAsync("nobody", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Contains("ユーザー名またはパスワードが違います", await wrongPassword.Content.ReadAsStringAsync());
        Assert.Contains("ユーザー名またはパスワードが違います", await unknownUser.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, "/api/me", HttpStatusCode.Unauthorized)]
    [InlineData(null, "/api/admin/users", HttpStatusCode.Unauthorized)]
    [InlineData("hq", "/api/admin/users", HttpStatusCode.Forbidden)]
    [InlineData("field", "/api/admin/users", HttpStatusCode.Forbidden)]
    [InlineData("shelter", "/api/admin/users", HttpStatusCode.Forbidden)]
    [InlineData("admin", "/api/admin/users", HttpStatusCode.OK)]
    [InlineData("field", "/api/me", HttpStatusCode.OK)]
    public async Task Roles_decide_what_each_account_may_read(string? userName, string url, HttpStatusCode expected)
    {
        var client = userName is null ? app.Client() : await app.SignedInClientAsync(userName);

        var response = await client.GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task Signing_out_ends_the_session_even_for_a_copy_of_the_cookie()
    {
        var client = await app.SignedInClientAsync("hq");
        var me = await client.GetAsync("/api/me");
        var cookie = me.RequestMessage!.Headers.GetValues("Cookie").Single();

        var logout = await client.PostAsync("/logout", null);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        using var copy = app.Client();
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { { "Cookie", cookie } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.SendAsync(replay)).StatusCode);
    }
}
