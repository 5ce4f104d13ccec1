using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Notifications;
using Bousai.Server.Tests.Support;
using Bousai.Testing.Push;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Notifications;

/// <summary>Opting in, changing and ending it, with no account: the subscription and its topics, nothing else.</summary>
public sealed class PushSubscriptionApiTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static readonly PushSubscriberKeys Keys = PushSubscriberKeys.Create();

    private static object Request(string endpoint, string? p256dh = null, string? auth = null, string language = "ja", string[]? districts = null,
        string[]? shelters = null, bool? townWarnings = null, bool drills = false) => new
    {
        endpoint,
        keys = new { p256dh = p256dh ?? Keys.P256dh, auth = auth ?? Keys.Auth },
        language,
        districts = districts ?? ["district-yashiro"],
        shelters = shelters ?? [],
        townWarnings,
        drills,
    };

    private static string Endpoint() => "https://fcm.googleapis.com/fcm/send/" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_key_is_a_P256_public_key_made_once_and_kept()
    {
        var client = app.Client();
        var key = await ResidentPhones.ServerKeyAsync(client);
        var point = WebEncoders.Base64UrlDecode(key);
        Assert.Equal(65, point.Length);
        Assert.Equal(4, point[0]);
        Assert.Equal(key, await ResidentPhones.ServerKeyAsync(client));
        Assert.Equal(key, await app.Database.ScalarAsync<string>("SELECT public_key FROM push_vapid_keys"));

        await using var second = app.AnotherInstance();
        await ((IAsyncLifetime)second).InitializeAsync();
        Assert.Equal(key, await ResidentPhones.ServerKeyAsync(second.Client()));
        Assert.Equal(1L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM push_vapid_keys"));
    }

    [Fact]
    public async Task A_resident_opts_in_sees_the_choice_changes_it_and_ends_it()
    {
        var client = app.Client();
        var endpoint = Endpoint();
        var saved = await client.PutAsJsonAsync("/public/notifications/subscription",
            Request(endpoint, districts: ["district-yashiro", "district-kameoka"], shelters: ["takahata-shelter-01"]));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var choice = (await saved.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("""{"language":"ja","districts":["district-yashiro","district-kameoka"],"shelters":["takahata-shelter-01"],"townWarnings":true,"drills":false}""",
            choice.ToJsonString());
        Assert.Equal("{district:district-yashiro,district:district-kameoka,shelter:takahata-shelter-01,town}",
            await app.Database.ScalarAsync<string>($"SELECT topics::text FROM push_subscriptions WHERE endpoint = '{endpoint}'"));

        var looked = await client.PostAsJsonAsync("/public/notifications/subscription/lookup", new { endpoint });
        Assert.Equal(choice.ToJsonString(), (await looked.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString());

        // Changing it replaces the choice of the same subscription, never adds a second.
        var changed = await client.PutAsJsonAsync("/public/notifications/subscription",
            Request(endpoint, language: "en", districts: ["district-wada"], townWarnings: false, drills: true));
        Assert.Equal("""{"language":"en","districts":["district-wada"],"shelters":[],"townWarnings":false,"drills":true}""",
            (await changed.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString());
        Assert.Equal(1L, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM push_subscriptions WHERE endpoint = '{endpoint}'"));

        var ended = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/public/notifications/subscription")
        {
            Content = JsonContent.Create(new { endpoint }),
        });
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal(0L, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM push_subscriptions WHERE endpoint = '{endpoint}'"));
        var gone = await client.PostAsJsonAsync("/public/notifications/subscription/lookup", new { endpoint });
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType!.MediaType);
        var again = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/public/notifications/subscription")
        {
            Content = JsonContent.Create(new { endpoint }),
        });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    public static TheoryData<string, object> Refused => new()
    {
        { "endpoint", Request("http://fcm.googleapis.com/fcm/send/x") },
        { "endpoint", Request("https://push.example.net/x") },
        { "endpoint", Request("https://fcm.googleapis.com.example.net/x") },
        { "endpoint", Request("https://fcm.googleapis.com:8443/x") },
        { "endpoint", Request("https://10.0.0.5/internal") },
        { "endpoint", Request("fcm/send/x") },
        { "endpoint", Request("https://fcm.googleapis.com/" + new string('a', 1000)) },
        { "keys.p256dh", Request(Endpoint(), p256dh: "bm90IGEga2V5") },
        // 65 bytes starting 0x04 that are not a point on the curve.
        { "keys.p256dh", Request(Endpoint(), p256dh: WebEncoders.Base64UrlEncode([4, .. Enumerable.Repeat((byte)1, 64)])) },
        { "keys.auth", Request(Endpoint(), auth: WebEncoders.Base64UrlEncode(new byte[15])) },
        { "language", Request(Endpoint(), language: "fr") },
        { "districts", Request(Endpoint(), districts: ["district-atlantis"]) },
        { "shelters", Request(Endpoint(), shelters: ["takahata-shelter-999"]) },
        { "districts", Request(Endpoint(), districts: [], shelters: [], townWarnings: false) },
        { "districts", Request(Endpoint(), districts: [.. Enumerable.Range(0, 51).Select(i => $"d{i}")]) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_subscription_is_refused_with_the_reason_and_stores_nothing(string field, object request)
    {
        var before = await app.Database.ScalarAsync<long>("SELECT count(*) FROM push_subscriptions");
        var response = await app.Client().PutAsJsonAsync("/public/notifications/subscription", request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"no error for {field}: {errors.ToJsonString()}");
        Assert.Equal(before, await app.Database.ScalarAsync<long>("SELECT count(*) FROM push_subscriptions"));
    }

    [Fact]
    public async Task Opting_in_or_ending_it_from_another_site_is_refused()
    {
        var endpoint = Endpoint();
        var client = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/public/notifications/subscription", Request(endpoint))).StatusCode);
        foreach (var (method, path) in new[] { (HttpMethod.Put, ""), (HttpMethod.Delete, ""), (HttpMethod.Post, "/lookup") })
        {
            var request = new HttpRequestMessage(method, "/public/notifications/subscription" + path)
            {
                Content = JsonContent.Create(method == HttpMethod.Put ? Request(endpoint, districts: ["district-wada"]) : new { endpoint }),
            };
            request.Headers.Add("Origin", "https://evil.example");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal("{district:district-yashiro,town}",
            await app.Database.ScalarAsync<string>($"SELECT topics::text FROM push_subscriptions WHERE endpoint = '{endpoint}'"));
    }

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/abc", false, true)]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/abc", false, true)]
    [InlineData("https://web.push.apple.com/QAbc", false, true)]
    [InlineData("https://wns2-par02p.notify.windows.com/w/?token=abc", false, true)]
    [InlineData("https://evilfcm.googleapis.com.attacker.net/x", false, false)]
    [InlineData("http://127.0.0.1:5000/push/a", false, false)]
    [InlineData("http://127.0.0.1:5000/push/a", true, true)]
    [InlineData("http://10.1.2.3/push/a", true, false)]
    public void Only_the_browsers_push_services_are_posted_to(string endpoint, bool loopbackAllowed, bool accepted) =>
        Assert.Equal(accepted, PushSubscriptionEndpoints.EndpointRefusal(endpoint, new NotificationOptions { AllowLoopbackServices = loopbackAllowed }) is null);

    [Fact]
    public async Task Nothing_that_could_identify_a_resident_is_stored()
    {
        await using var connection = await app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name LIKE 'push%' GROUP BY table_name ORDER BY table_name
            """, connection);
        var columns = new Dictionary<string, string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) columns[reader.GetString(0)] = reader.GetString(1);
        }

        // The subscription is the browser's random endpoint URL and the keys it made for this server, the language and the
        // topics: no name, address, phone, e-mail, position, client address or account.
        Assert.Equal("id,endpoint,p256dh,auth,language,topics,drills,created_at,updated_at", columns["push_subscriptions"]);
        Assert.Equal("notice_id,subscription_id,attempts,due_at,last_status", columns["push_deliveries"]);
        Assert.Equal("id,seq,topic,drill,urgency,ttl_seconds,facts,payloads,created_at,fanned_out_at", columns["push_notices"]);
        Assert.Equal("subject,mark", columns["push_marks"]);
        Assert.Equal("singleton,public_key,private_key,created_at", columns["push_vapid_keys"]);
        Assert.Equal(5, columns.Count);
        string[] personal = ["name", "address", "ip", "geom", "location", "lat", "lon", "user", "account", "phone", "email", "mail", "agent"];
        Assert.DoesNotContain(columns.Values.SelectMany(c => c.Split(',')).SelectMany(c => c.Split('_')), personal.Contains);
    }
}
