using System.Net;
using System.Net.Http.Json;
using Bousai.Server.Tests.Support;
using Bousai.Testing.Push;
using Npgsql;

namespace Bousai.Server.Tests.Notifications;

/// <summary>A fan-out to a thousand residents survives a restart midway and is shared by several instances, each message sent once.</summary>
public sealed class PushFanOutTests
{
    private const int Residents = 1000;
    private const string District = "district-yashiro";

    /// <summary>Residents subscribed straight in the table (opting in through the API is tested on its own), all with one set of keys.</summary>
    private static async Task SubscribeAsync(BousaiApp app, LoopbackPushService push)
    {
        var keys = PushSubscriberKeys.Create();
        var endpoints = Enumerable.Range(0, Residents).Select(i => push.Subscribe($"r{i}", keys).Endpoint.ToString()).ToArray();
        await using var db = app.Database.CreateDataSource();
        await using var insert = db.CreateCommand(
            """
            INSERT INTO push_subscriptions (endpoint, p256dh, auth, language, topics, drills, created_at, updated_at)
            SELECT e, $2, $3, 'ja', ARRAY[$4], false, now(), now() FROM unnest($1::text[]) AS e
            """);
        insert.Parameters.AddWithValue(endpoints);
        insert.Parameters.AddWithValue(keys.P256dh);
        insert.Parameters.AddWithValue(keys.Auth);
        insert.Parameters.AddWithValue("district:" + District);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task IssueAsync(BousaiApp app)
    {
        using var hq = await app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/districts/{District}/evacuation-level",
            new { level = 4, decidedBy = "本部長", reason = "屋代川 氾濫危険水位" })).StatusCode);
    }

    private static async Task AssertEachToldOnceAsync(BousaiApp app, LoopbackPushService push)
    {
        await Eventually.TrueAsync(() => Task.FromResult(push.Taken >= Residents), $"{Residents} messages", timeoutSeconds: 120);
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>("SELECT count(*) FROM push_deliveries") == 0, "no delivery left");
        var received = push.Received;
        Assert.Empty(push.Refusals);
        Assert.Equal(Residents, received.Count);
        Assert.Equal(Residents, received.Select(r => r.Subscriber).Distinct().Count());
        Assert.All(received, r => Assert.StartsWith("警戒レベル4 ", ResidentPhones.Shown(r)["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_a_fan_out_sends_every_remaining_notification_once_and_none_twice()
    {
        // One message in flight at a time to a push service that takes 5 ms: the fan-out lasts long enough to stop it midway.
        var first = BousaiApp.OnKestrel(new Dictionary<string, string> { ["Notifications:Concurrency"] = "1", ["Notifications:BatchSize"] = "20" });
        await ((IAsyncLifetime)first).InitializeAsync();
        BousaiApp? second = null;
        await using var push = await LoopbackPushService.StartAsync();
        push.Latency = TimeSpan.FromMilliseconds(5);
        try
        {
            push.ServerKey = await ResidentPhones.ServerKeyAsync(first.Client());
            await SubscribeAsync(first, push);
            await IssueAsync(first);
            await Eventually.TrueAsync(() => Task.FromResult(push.Taken >= 100), "the fan-out to be under way");

            await first.DisposeAsync(); // the host stops as on SIGTERM; the database stays
            var beforeRestart = push.Taken;
            Assert.InRange(beforeRestart, 100, Residents - 1);
            Assert.Equal(Residents - beforeRestart, await first.Database.ScalarAsync<long>("SELECT count(*) FROM push_deliveries"));

            second = first.AnotherInstance();
            await ((IAsyncLifetime)second).InitializeAsync();
            await AssertEachToldOnceAsync(second, push);
        }
        finally
        {
            if (second is not null) await ((IAsyncLifetime)second).DisposeAsync();
            await first.Database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_instances_share_a_fan_out_and_send_each_message_once()
    {
        await using var push = await LoopbackPushService.StartAsync();
        push.Latency = TimeSpan.FromMilliseconds(2);
        var small = new Dictionary<string, string> { ["Notifications:Concurrency"] = "4", ["Notifications:BatchSize"] = "25" };
        var a = BousaiApp.OnKestrel(new Dictionary<string, string>(small) { ["Notifications:Subject"] = "mailto:a@bousai.test" });
        await ((IAsyncLifetime)a).InitializeAsync();
        var b = a.AnotherInstance(settings: new Dictionary<string, string> { ["Notifications:Subject"] = "mailto:b@bousai.test" });
        try
        {
            await ((IAsyncLifetime)b).InitializeAsync();
            push.ServerKey = await ResidentPhones.ServerKeyAsync(a.Client());
            Assert.Equal(push.ServerKey, await ResidentPhones.ServerKeyAsync(b.Client()));
            await SubscribeAsync(a, push);

            await IssueAsync(a);

            await AssertEachToldOnceAsync(a, push);
            // Each instance signs with its own contact: both took part.
            var bySender = push.Received.GroupBy(r => r.Vapid!.Subject).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(["mailto:a@bousai.test", "mailto:b@bousai.test"], bySender.Keys.Order());
            Assert.All(bySender.Values, count => Assert.InRange(count, 50, Residents - 50));
        }
        finally
        {
            await ((IAsyncLifetime)b).DisposeAsync();
            await ((IAsyncLifetime)a).DisposeAsync();
        }
    }
}
