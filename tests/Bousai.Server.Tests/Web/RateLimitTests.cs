using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Web;

/// <summary>
/// A crowd behind a gateway (forwarded headers on, as compose runs it) with a small bucket per client address: one
/// address past its burst is refused with 429 problem details and Retry-After, others are not, and probes never are.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Burst = 20;

    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string>
    {
        ["FORWARDEDHEADERS_ENABLED"] = "true",
        ["RateLimits:TokensPerSecond"] = "1",
        ["RateLimits:Burst"] = Burst.ToString(),
    });

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private HttpClient From(string address)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>Spends an address's whole bucket (and more: the sustained rate refills one a second meanwhile).</summary>
    private static async Task<HttpResponseMessage> ExhaustAsync(HttpClient client, string url)
    {
        for (var i = 0; i < Burst * 3; i++)
        {
            var response = await client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) return response;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        throw new Xunit.Sdk.XunitException($"{Burst * 3} requests in a row were all served with a burst of {Burst}");
    }

    [Fact]
    public async Task An_address_past_its_burst_gets_429_problem_details_with_retry_after()
    {
        using var crowd = From("203.0.113.7");

        var refused = await ExhaustAsync(crowd, "/api/config");

        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Equal("Too many requests", problem["title"]!.GetValue<string>());
        Assert.Contains("try again", problem["detail"]!.GetValue<string>());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait >= TimeSpan.FromSeconds(1) && wait <= TimeSpan.FromSeconds(60), $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.True(refused.Headers.Contains("Content-Security-Policy"), "the refusal has no security headers");

        // Anything else from that address is refused too, pages as well as the API.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await crowd.GetAsync("/public")).StatusCode);

        // After the wait it says, the address is served again.
        await Task.Delay(retryAfter!.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await crowd.GetAsync("/api/config")).StatusCode);
    }

    [Fact]
    public async Task Another_address_is_not_affected()
    {
        using var crowd = From("203.0.113.8");
        using var neighbour = From("198.51.100.20");

        await ExhaustAsync(crowd, "/api/config");

        Assert.Equal(HttpStatusCode.OK, (await neighbour.GetAsync("/api/config")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.GetAsync("/public")).StatusCode);
    }

    [Fact]
    public async Task Health_probes_and_metrics_are_never_limited()
    {
        using var prober = From("203.0.113.9");
        await ExhaustAsync(prober, "/api/config");

        for (var i = 0; i < Burst * 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await prober.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await prober.GetAsync("/readyz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await prober.GetAsync("/metrics")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await prober.GetAsync("/api/config")).StatusCode);
    }
}
