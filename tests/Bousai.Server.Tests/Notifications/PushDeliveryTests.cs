using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Bousai.Testing.Push;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bousai.Server.Tests.Notifications;

/// <summary>
/// From a change to what a resident's phone shows: the outbox written with the change, the sender signing (VAPID) and
/// encrypting (aes128gcm) for each subscription, read back by a push service played on loopback with the phone's keys.
/// </summary>
public sealed class PushDeliveryTests(BousaiApp app) : IClassFixture<BousaiApp>, IAsyncLifetime
{
    private LoopbackPushService _push = null!;

    public async Task InitializeAsync()
    {
        _push = await LoopbackPushService.StartAsync();
        _push.ServerKey = await ResidentPhones.ServerKeyAsync(app.Client());
        // Each test hears only its own residents.
        await app.Database.ScalarAsync<int>("DELETE FROM push_subscriptions");
    }

    public async Task DisposeAsync() => await _push.DisposeAsync();

    private static async Task IssueAsync(HttpClient hq, string district, int level) =>
        Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/districts/{district}/evacuation-level",
            new { level, decidedBy = "本部長", reason = "屋代川の水位上昇" })).StatusCode);

    private async Task<IReadOnlyList<ReceivedPush>> ReceivedAsync(string subscriber, int count)
    {
        await Eventually.TrueAsync(() => Task.FromResult(_push.For(subscriber).Count >= count), $"{count} message(s) for {subscriber}");
        return _push.For(subscriber);
    }

    private async Task AssertNothingForAsync(string subscriber)
    {
        // Nothing waits to be sent: every notice is fanned out and every delivery made (or none was made for it).
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>(
                "SELECT (SELECT count(*) FROM push_notices WHERE fanned_out_at IS NULL) + (SELECT count(*) FROM push_deliveries)") == 0,
            "the outbox to be sent");
        Assert.Empty(_push.For(subscriber));
    }

    [Fact]
    public async Task A_level_issued_for_a_district_reaches_its_subscribers_in_their_language_signed_and_encrypted_for_each()
    {
        var client = app.Client();
        await ResidentPhones.OptInAsync(client, _push, "yashiro-ja", districts: ["district-yashiro"]);
        await ResidentPhones.OptInAsync(client, _push, "yashiro-en", districts: ["district-yashiro"], language: "en");
        await ResidentPhones.OptInAsync(client, _push, "wada", districts: ["district-wada"]);
        using var hq = await app.SignedInClientAsync("hq");

        await IssueAsync(hq, "district-yashiro", 4);

        var ja = Assert.Single(await ReceivedAsync("yashiro-ja", 1));
        var shown = ResidentPhones.Shown(ja);
        var name = await app.Database.ScalarAsync<string>("SELECT name_ja FROM districts WHERE id = 'district-yashiro'");
        Assert.Equal($"警戒レベル4 避難指示：{name}", shown["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(shown["body"]!.GetValue<string>()));
        Assert.Equal("/public?district=district-yashiro", shown["url"]!.GetValue<string>());
        Assert.Equal("/notifications/level-4.png", shown["icon"]!.GetValue<string>());
        Assert.True(shown["urgent"]!.GetValue<bool>());
        Assert.False(shown["drill"]!.GetValue<bool>());
        // Levels 3–5 wake the phone at once, and are kept by the push service for half a day while the phone is off.
        Assert.Equal("high", ja.Urgency);
        Assert.InRange(ja.Ttl, 12 * 3600 - 120, 12 * 3600);
        Assert.Equal(32, ja.Topic!.Length);
        Assert.Equal("mailto:bousai@town.takahata.yamagata.jp", ja.Vapid!.Subject);

        var en = ResidentPhones.Shown(Assert.Single(await ReceivedAsync("yashiro-en", 1)));
        Assert.StartsWith("Alert level 4 ", en["title"]!.GetValue<string>());
        Assert.Equal("/public/en?district=district-yashiro", en["url"]!.GetValue<string>());
        Assert.Equal(shown["noticeId"]!.GetValue<long>(), en["noticeId"]!.GetValue<long>());

        // Lifted: told too, not urgent.
        await IssueAsync(hq, "district-yashiro", 0);
        var lifted = (await ReceivedAsync("yashiro-ja", 2))[1];
        Assert.Equal($"避難情報の解除：{name}", ResidentPhones.Shown(lifted)["title"]!.GetValue<string>());
        Assert.Null(lifted.Urgency); // no Urgency header is "normal" (RFC 8030 §5.3)

        await AssertNothingForAsync("wada");
        Assert.Empty(_push.Refusals);
    }

    [Fact]
    public async Task A_subscribed_shelter_tells_when_it_opens_and_when_it_fills_not_each_head_count()
    {
        const string shelter = "takahata-shelter-03";
        var client = app.Client();
        await ResidentPhones.OptInAsync(client, _push, "shelter-fan", shelters: [shelter]);
        using var hq = await app.SignedInClientAsync("hq");
        var capacity = await app.Database.ScalarAsync<int>($"SELECT capacity FROM shelters WHERE id = '{shelter}'");
        var name = await app.Database.ScalarAsync<string>($"SELECT name_ja FROM shelters WHERE id = '{shelter}'");

        async Task StatusAsync(bool open, int occupancy) =>
            Assert.Equal(HttpStatusCode.OK, (await hq.PutAsJsonAsync($"/api/shelters/{shelter}/status", new { open, occupancy })).StatusCode);

        await StatusAsync(true, 5);
        await StatusAsync(true, 6);
        Assert.Equal($"開設：{name}", ResidentPhones.Shown((await ReceivedAsync("shelter-fan", 1))[0])["title"]!.GetValue<string>());
        await StatusAsync(true, capacity);
        await StatusAsync(true, capacity + 1);
        await StatusAsync(false, 0);
        var told = (await ReceivedAsync("shelter-fan", 3)).Select(r => ResidentPhones.Shown(r)["title"]!.GetValue<string>()).ToArray();
        Assert.Equal([$"開設：{name}", $"満員：{name}", $"閉鎖：{name}"], told);
        Assert.Equal($"/public#shelter-{shelter}", ResidentPhones.Shown(_push.For("shelter-fan")[1])["url"]!.GetValue<string>());
        await AssertNothingForAsync("nobody");
        Assert.Equal(3, _push.For("shelter-fan").Count);
    }

    [Fact]
    public async Task An_official_warning_for_the_town_reaches_those_who_asked_for_the_towns_warnings()
    {
        var client = app.Client();
        await ResidentPhones.OptInAsync(client, _push, "town", districts: ["district-kameoka"], townWarnings: true);
        await ResidentPhones.OptInAsync(client, _push, "district-only", districts: ["district-kameoka"], townWarnings: false);
        using var hq = await app.SignedInClientAsync("hq");

        var entered = await hq.PostAsJsonAsync("/api/official-warnings", new { kind = "landslide_alert", name = "土砂災害警戒情報" });
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var id = (await entered.Content.ReadFromJsonAsync<JsonObject>())!["warningId"]!.GetValue<long>();
        try
        {
            var told = Assert.Single(await ReceivedAsync("town", 1));
            Assert.Equal("土砂災害警戒情報（高畠町）", ResidentPhones.Shown(told)["title"]!.GetValue<string>());
            Assert.Equal("/public#official-title", ResidentPhones.Shown(told)["url"]!.GetValue<string>());
            Assert.Equal("high", told.Urgency);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync($"/api/official-warnings/{id}/end", null)).StatusCode);
        }

        var ended = (await ReceivedAsync("town", 2))[1];
        Assert.Equal("土砂災害警戒情報 解除（高畠町）", ResidentPhones.Shown(ended)["title"]!.GetValue<string>());
        await AssertNothingForAsync("district-only");
    }

    [Fact]
    public async Task Drill_levels_reach_only_those_who_opted_into_drills_marked_as_the_drill()
    {
        var client = app.Client();
        await ResidentPhones.OptInAsync(client, _push, "drills", districts: ["district-nukanome"], drills: true);
        await ResidentPhones.OptInAsync(client, _push, "real-only", districts: ["district-nukanome"]);
        using var hq = await app.SignedInClientAsync("hq");
        Assert.Equal(HttpStatusCode.Created, (await hq.PostAsJsonAsync("/api/drills", new { name = "総合防災訓練" })).StatusCode);
        try
        {
            await IssueAsync(hq, "district-nukanome", 3);
            var told = ResidentPhones.Shown(Assert.Single(await ReceivedAsync("drills", 1)));
            Assert.StartsWith("【訓練】警戒レベル3 ", told["title"]!.GetValue<string>());
            Assert.True(told["drill"]!.GetValue<bool>());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);
        }

        await AssertNothingForAsync("real-only");
    }

    [Fact]
    public async Task A_subscription_the_push_service_says_is_gone_is_deleted_and_the_others_are_still_told()
    {
        var client = app.Client();
        await ResidentPhones.OptInAsync(client, _push, "gone", districts: ["district-niijuku"]);
        await ResidentPhones.OptInAsync(client, _push, "still-here", districts: ["district-niijuku"]);
        _push.Answer("gone", new PushAnswer(HttpStatusCode.Gone));
        using var hq = await app.SignedInClientAsync("hq");

        await IssueAsync(hq, "district-niijuku", 3);

        Assert.Single(await ReceivedAsync("still-here", 1));
        var goneEndpoint = _push.EndpointOf("gone").ToString();
        await Eventually.TrueAsync(async () =>
            await app.Database.ScalarAsync<long>($"SELECT count(*) FROM push_subscriptions WHERE endpoint = '{goneEndpoint}'") == 0, "the gone subscription to be deleted");
        Assert.Empty(_push.For("gone"));
        Assert.Equal(1L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM push_subscriptions"));
        await IssueAsync(hq, "district-niijuku", 0);
        Assert.Equal(2, (await ReceivedAsync("still-here", 2)).Count);
        Assert.Empty(_push.For("gone"));
    }

    [Fact]
    public async Task A_push_service_asking_to_wait_gets_the_message_again_after_its_Retry_After_once()
    {
        var client = app.Client();
        await ResidentPhones.OptInAsync(client, _push, "busy", districts: ["district-takahata"]);
        _push.Answer("busy", new PushAnswer(HttpStatusCode.TooManyRequests, RetryAfterSeconds: 1), new PushAnswer(HttpStatusCode.ServiceUnavailable, 1));
        using var hq = await app.SignedInClientAsync("hq");

        await IssueAsync(hq, "district-takahata", 4);

        var told = Assert.Single(await ReceivedAsync("busy", 1));
        Assert.StartsWith("警戒レベル4 ", ResidentPhones.Shown(told)["title"]!.GetValue<string>());
        Assert.Equal(3, _push.Requests);
        await AssertNothingForAsync("nobody");
        Assert.Single(_push.For("busy"));
        await IssueAsync(hq, "district-takahata", 0);
        await ReceivedAsync("busy", 2);
    }

    [Fact]
    public async Task A_change_that_rolls_back_tells_nobody_and_one_that_commits_is_in_the_outbox_with_it()
    {
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var change = new DistrictEvacuationLevelChanged(
            new DistrictEvacuation("district-wada", 5, DateTimeOffset.UtcNow, "本部長", "hq", "試験"), 0) { At = DateTimeOffset.UtcNow };
        var before = await app.Database.ScalarAsync<long>("SELECT count(*) FROM push_notices");

        await using (var connection = await db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await SituationEventLog.AppendAsync(connection, transaction, change, CancellationToken.None);
            Assert.Equal(before + 1, await CountInAsync(connection, transaction));
            await transaction.RollbackAsync();
        }

        Assert.Equal(before, await app.Database.ScalarAsync<long>("SELECT count(*) FROM push_notices"));

        var seq = await SituationWriter.AppendAsync(db, change);
        Assert.Equal(1L, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM push_notices WHERE seq = {seq} AND topic = 'district:district-wada'"));
        return;

        static async Task<long> CountInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM push_notices", connection, transaction);
            return (long)(await count.ExecuteScalarAsync())!;
        }
    }
}
