using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bousai.Server.Accounts;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Accounts;

/// <summary>
/// Sign-in attempts are limited per address and per account name, before any password is hashed. Clients here connect
/// from distinct loopback addresses (127.0.0.x), so the server sees them as different machines.
/// </summary>
public sealed partial class SignInLimitTests : IAsyncLifetime
{
    private const int PerAddress = 4;
    private const int PerAccount = 6;

    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string>
    {
        ["Accounts:SignInsPerAddress"] = PerAddress.ToString(),
        ["Accounts:SignInsPerAccount"] = PerAccount.ToString(),
        ["Accounts:SignInWindow"] = "00:10:00",
    });

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    /// <summary>A browser-like client (cookies, no redirects) whose connections come from <paramref name="address"/>.</summary>
    private HttpClient From(string address)
    {
        var local = IPAddress.Parse(address);
        var server = new IPEndPoint(IPAddress.Parse(_app.BaseAddress.Host), _app.BaseAddress.Port);
        return new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(server, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = _app.BaseAddress };
    }

    private async Task<string> NewAccountAsync()
    {
        var name = "staff-" + Guid.NewGuid().ToString("N")[..8];
        await _app.Services.GetRequiredService<StaffAccounts>().SaveAsync(
            new NewStaffAccount(name, "職員", "hq", BousaiApp.Password, []), "test", replaceExisting: false, CancellationToken.None);
        return name;
    }

    [Fact]
    public async Task A_burst_from_one_address_is_refused_with_429_while_another_address_still_signs_in()
    {
        using var attacker = From("127.0.0.2");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < PerAddress + 3; i++)
        {
            answers.Add(await attacker.SignInAsync("hq", "wrong-guess-" + i));
        }

        using var colleague = From("127.0.0.3");
        var signIn = await colleague.SignInAsync("field", BousaiApp.Password);

        Assert.All(answers.Take(PerAddress), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        var refused = answers.Skip(PerAddress).ToList();
        Assert.All(refused, a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType!.MediaType);
        Assert.True(refused[0].Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without a Retry-After in seconds");
        Assert.Equal("Too many sign-in attempts", (await refused[0].Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        // Refused before the password check: only the allowed attempts were checked (and audited).
        Assert.Equal((long)PerAddress, await _app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE actor = 'hq' AND action = 'login.failed'"));
    }

    [Fact]
    public async Task A_person_at_the_sign_in_form_gets_the_form_again_with_the_wait_in_words()
    {
        using var browser = From("127.0.0.6");
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
        HttpResponseMessage answer = null!;
        for (var i = 0; i <= PerAddress; i++)
        {
            answer = await browser.SignInAsync("hq", "wrong-guess-" + i);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType!.MediaType);
        var page = await answer.Content.ReadAsStringAsync();
        Assert.Matches("ログインの試行が多すぎます。[0-9]+ 秒後に", ErrorMessage().Match(page).Groups[1].Value);
        Assert.Contains("""value="hq" """.TrimEnd(), page);
    }

    [Fact]
    public async Task Wrong_guesses_from_one_address_cannot_keep_the_owner_out()
    {
        var victim = await NewAccountAsync();
        using var attacker = From("127.0.0.4");
        for (var i = 0; i < PerAddress * 3; i++)
        {
            await attacker.SignInAsync(victim, "wrong-guess-" + i);
        }

        using var owner = From("127.0.0.5");
        var signIn = await owner.SignInAsync(victim, BousaiApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_limited_account_and_an_unknown_name_get_the_same_answers()
    {
        var known = await NewAccountAsync();
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8];

        var knownAnswers = await GuessFromSeveralAddressesAsync(known, 10);
        var unknownAnswers = await GuessFromSeveralAddressesAsync(unknown, 20);

        Assert.Equal(knownAnswers.Select(a => a.Status), unknownAnswers.Select(a => a.Status));
        Assert.Equal(knownAnswers.Select(a => a.Text), unknownAnswers.Select(a => a.Text));
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, PerAccount), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            knownAnswers.Select(a => a.Status));
    }

    /// <summary>Wrong passwords spread over addresses (never more than the per-address limit from one), past the account's limit.</summary>
    private async Task<List<(HttpStatusCode Status, string Text)>> GuessFromSeveralAddressesAsync(string userName, int firstAddress)
    {
        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < PerAccount + 2; i++)
        {
            using var client = From($"127.0.0.{firstAddress + i}");
            var answer = await client.SignInAsync(userName, "wrong-guess-" + i);
            // What the person sees: the page's message, or the problem's title (its detail counts down the seconds left).
            answers.Add((answer.StatusCode, answer.StatusCode == HttpStatusCode.TooManyRequests
                ? (await answer.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>()
                : ErrorMessage().Match(await answer.Content.ReadAsStringAsync()).Groups[1].Value));
        }

        return answers;
    }

    [GeneratedRegex("""<p class="error" role="alert">([^<]*)</p>""")]
    private static partial Regex ErrorMessage();
}
