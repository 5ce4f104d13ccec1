using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Web;

/// <summary>What a browser says about where a request comes from decides whether a write or the staff hub is served.</summary>
public sealed class SameOriginTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    // The test host answers as http://localhost.
    private const string Own = "http://localhost";

    private async Task<long> RaiseAlertAsync(HttpClient hq)
    {
        var raised = await hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", level = 3, message = "中橋 上昇中" });
        Assert.Equal(HttpStatusCode.Created, raised.StatusCode);
        return (await raised.Content.ReadFromJsonAsync<JsonObject>())!["alertId"]!.GetValue<long>();
    }

    private static HttpRequestMessage Post(string url, string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        return request;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Cross-origin request refused", (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://localhost:8081", null)] // another port of the same host: same site, other origin
    [InlineData("http://evil.localhost", null)]
    [InlineData("https://localhost", null)]
    [InlineData("null", null)]
    [InlineData(null, "same-site")]
    [InlineData(null, "cross-site")]
    public async Task A_write_from_another_origin_is_refused_and_changes_nothing(string? origin, string? fetchSite)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var alert = await RaiseAlertAsync(hq);

        await AssertRefusedAsync(await hq.SendAsync(Post($"/api/alerts/{alert}/acknowledge", origin, fetchSite)));
        await AssertRefusedAsync(await hq.SendAsync(Post($"/api/alerts/{alert}/clear", origin, fetchSite)));

        Assert.Equal("raised", await app.Database.ScalarAsync<string>($"SELECT status FROM alerts WHERE id = {alert}"));
        Assert.Equal(0L, await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_log WHERE action LIKE 'alert.%' AND entity_id = '{alert}' AND action <> 'alert.raise'"));
    }

    [Theory]
    [InlineData(Own, null)]
    [InlineData(null, "same-origin")]
    [InlineData(null, null)] // not a browser: HttpClient, curl
    public async Task A_write_from_the_products_own_pages_or_a_non_browser_client_is_served(string? origin, string? fetchSite)
    {
        using var hq = await app.SignedInClientAsync("hq");
        var alert = await RaiseAlertAsync(hq);

        var acknowledged = await hq.SendAsync(Post($"/api/alerts/{alert}/acknowledge", origin, fetchSite));

        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal("acknowledged", await app.Database.ScalarAsync<string>($"SELECT status FROM alerts WHERE id = {alert}"));
    }

    [Fact]
    public async Task The_staff_hub_refuses_another_origin_on_negotiate_and_on_every_transport()
    {
        using var hq = await app.SignedInClientAsync("hq");

        await AssertRefusedAsync(await hq.SendAsync(Post("/hubs/situation/negotiate?negotiateVersion=1", "http://localhost:8081")));
        await AssertRefusedAsync(await hq.SendAsync(Post("/hubs/situation/negotiate?negotiateVersion=1", null, "same-site")));
        using var longPoll = new HttpRequestMessage(HttpMethod.Get, "/hubs/situation?id=x") { Headers = { { "Sec-Fetch-Site", "same-site" } } };
        await AssertRefusedAsync(await hq.SendAsync(longPoll));
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/hubs/situation") { Headers = { { "Origin", "http://localhost:8081" } } };
        await AssertRefusedAsync(await hq.SendAsync(upgrade));

        Assert.Equal(HttpStatusCode.OK, (await hq.SendAsync(Post("/hubs/situation/negotiate?negotiateVersion=1", Own))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hq.SendAsync(Post("/hubs/situation/negotiate?negotiateVersion=1"))).StatusCode);
    }

    [Fact]
    public async Task Sign_in_and_logout_forms_posted_from_another_origin_are_refused()
    {
        using var hq = await app.SignedInClientAsync("hq");

        await AssertRefusedAsync(await hq.SendAsync(Post("/logout", "http://localhost:8081")));
        Assert.Equal(HttpStatusCode.OK, (await hq.GetAsync("/api/me")).StatusCode);
        var login = Post("/login", "http://localhost:8081");
        login.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "hq", ["password"] = BousaiApp.Password });
        await AssertRefusedAsync(await app.Client().SendAsync(login));
    }
}
