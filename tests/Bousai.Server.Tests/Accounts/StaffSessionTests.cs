using System.Net;
using System.Text.RegularExpressions;
using Bousai.Server.Accounts;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Accounts;

/// <summary>Sessions end on the server: after logout, disabling or a role change the old cookie is refused and open staff hub streams close.</summary>
public sealed partial class StaffSessionTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string> { ["Accounts:SessionRecheckInterval"] = "00:00:01" });

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private StaffAccounts Accounts => _app.Services.GetRequiredService<StaffAccounts>();

    private async Task<string> NewAccountAsync(string role)
    {
        var name = "staff-" + Guid.NewGuid().ToString("N")[..8];
        await Accounts.SaveAsync(new NewStaffAccount(name, "職員", role, BousaiApp.Password, []), "test", replaceExisting: false, CancellationToken.None);
        return name;
    }

    /// <summary>The session cookie as the browser holds it, to replay it after the server has been told the session is over.</summary>
    private string SessionCookie(CookieContainer cookies) => cookies.GetCookies(_app.BaseAddress)["bousai.session"]!.Value;

    private HttpClient WithCookie(string session)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", "bousai.session=" + session);
        return client;
    }

    [Fact]
    public async Task After_logout_the_old_cookie_is_refused_and_the_open_staff_stream_is_closed()
    {
        var cookies = await _app.SignedInCookiesAsync("hq");
        var session = SessionCookie(cookies);
        await using var stream = await StaffStream.OpenAsync(_app.BaseAddress, cookies);
        using (var before = WithCookie(session)) Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/me")).StatusCode);

        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/logout", null)).StatusCode);
        }

        await stream.AssertClosedAsync("logout");
        using var replay = WithCookie(session);
        var me = await replay.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("application/problem+json", me.Content.Headers.ContentType!.MediaType);
        await AssertHubRefusesAsync(session);
        Assert.NotNull(await _app.Database.ScalarAsync<DateTime?>(
            $"SELECT revoked_at FROM staff_sessions WHERE id = '{await SessionIdAsync("hq")}'"));
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_sessions_and_closes_its_staff_stream()
    {
        var name = await NewAccountAsync("field");
        var cookies = await _app.SignedInCookiesAsync(name);
        var session = SessionCookie(cookies);
        await using var stream = await StaffStream.OpenAsync(_app.BaseAddress, cookies);

        await Accounts.SetDisabledAsync(name, disabled: true, "test", CancellationToken.None);

        await stream.AssertClosedAsync("disabling the account");
        using var replay = WithCookie(session);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/me")).StatusCode);
        var signIn = await _app.Client().SignInAsync(name, BousaiApp.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("ユーザー名またはパスワードが違います", await signIn.Content.ReadAsStringAsync());

        await Accounts.SetDisabledAsync(name, disabled: false, "test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Redirect, (await _app.Client().SignInAsync(name, BousaiApp.Password)).StatusCode);
    }

    [Fact]
    public async Task Changing_an_accounts_role_ends_its_sessions_and_closes_its_staff_stream()
    {
        var name = await NewAccountAsync("field");
        var cookies = await _app.SignedInCookiesAsync(name);
        var session = SessionCookie(cookies);
        await using var stream = await StaffStream.OpenAsync(_app.BaseAddress, cookies);

        await Accounts.SaveAsync(new NewStaffAccount(name, "職員", "admin", BousaiApp.Password, []), "test", replaceExisting: true, CancellationToken.None);

        await stream.AssertClosedAsync("the role change");
        using var replay = WithCookie(session);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/admin/users")).StatusCode);
        using var again = await _app.SignedInClientAsync(name);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/admin/users")).StatusCode);
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\r\nSet-Cookie:x")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task A_return_address_that_is_not_a_plain_path_here_sends_staff_home(string returnUrl)
    {
        var client = _app.Client();

        var page = await client.GetAsync("/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var signIn = await client.SignInAsync("hq", BousaiApp.Password, returnUrl);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/", ReturnField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_plain_return_path_is_kept()
    {
        var signIn = await _app.Client().SignInAsync("hq", BousaiApp.Password, "/public?lang=en");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/public?lang=en", signIn.Headers.Location!.OriginalString);
    }

    private Task<Guid> SessionIdAsync(string userName) => _app.Database.ScalarAsync<Guid>(
        $"SELECT s.id FROM staff_sessions s JOIN users u ON u.id = s.user_id WHERE u.user_name = '{userName}' ORDER BY s.created_at DESC LIMIT 1");

    private async Task AssertHubRefusesAsync(string session)
    {
        var cookies = new CookieContainer();
        cookies.Add(_app.BaseAddress, new Cookie("bousai.session", session));
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(_app.BaseAddress, "/hubs/situation"), o => o.Cookies = cookies).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [GeneratedRegex("""<input type="hidden" name="returnUrl" value="([^"]*)">""")]
    private static partial Regex ReturnField();

    /// <summary>A staff hub connection following the situation, without reconnecting, so a test sees when the server closes it.</summary>
    private sealed class StaffStream : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task _reading = Task.CompletedTask;

        private StaffStream(HubConnection connection) => _connection = connection;

        public static async Task<StaffStream> OpenAsync(Uri server, CookieContainer cookies)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server, "/hubs/situation"), o => o.Cookies = cookies)
                .AddJsonProtocol(o => BousaiJson.Configure(o.PayloadSerializerOptions))
                .Build();
            var stream = new StaffStream(connection);
            connection.Closed += _ =>
            {
                stream._closed.TrySetResult();
                return Task.CompletedTask;
            };
            await connection.StartAsync();
            stream._reading = Task.Run(async () =>
            {
                await foreach (var message in connection.StreamAsync<SituationMessage>("Follow", (long?)null))
                {
                    if (message.Type == SituationMessageType.Snapshot) stream._snapshot.TrySetResult();
                }
            });
            await stream._snapshot.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return stream;
        }

        public async Task AssertClosedAsync(string after)
        {
            var closed = await Task.WhenAny(_closed.Task, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(closed == _closed.Task, $"the staff hub connection was still open 10 s after {after}");
            await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(5)));
            Assert.True(_reading.IsCompleted, $"the staff stream was still delivering after {after}");
        }

        public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
    }
}
