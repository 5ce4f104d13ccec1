using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Live;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.OfficialWarnings;

/// <summary>Telegrams uploaded by HQ set what is in force for the town, following JMA's 発表 / 継続 / 解除 / 取消.</summary>
public sealed class OfficialWarningTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private static byte[] Telegram(string file) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "OfficialWarnings", "Telegrams", file));

    private static ByteArrayContent Xml(byte[] xml, string type = "application/xml")
    {
        var content = new ByteArrayContent(xml);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private async Task<HttpClient> FreshHqAsync()
    {
        var hq = await app.SignedInClientAsync("hq");
        await hq.PostAsync("/api/drills/current/end", null);
        await app.Database.ScalarAsync<object>("DELETE FROM official_warnings; DELETE FROM official_telegrams;");
        return hq;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> UploadAsync(HttpClient client, string file)
    {
        var response = await client.PostAsync("/api/official-warnings/telegrams", Xml(Telegram(file)));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private async Task<JsonArray> InForceAsync() =>
        (await app.Client().GetFromJsonAsync<JsonArray>("/api/official-warnings"))!;

    private static IEnumerable<string> Names(JsonArray warnings) => warnings.Select(w => w!["name"]!.GetValue<string>());

    private Task<long> CountAsync(string table) => app.Database.ScalarAsync<long>($"SELECT count(*) FROM {table}");

    private Task<long> EventCountAsync() => app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_events WHERE kind = 'official_warning_changed'");

    [Fact]
    public async Task Weather_warning_issued_then_lifted_is_in_force_then_ended()
    {
        using var hq = await FreshHqAsync();
        var events = await EventCountAsync();

        var (issuedStatus, issued) = await UploadAsync(hq, "weather-issued.xml");

        Assert.Equal(HttpStatusCode.Created, issuedStatus);
        Assert.Equal("recorded", issued["outcome"]!.GetValue<string>());
        var inForce = await InForceAsync();
        Assert.Equal(["大雨警報（土砂災害、浸水害）", "洪水注意報"], Names(inForce));
        var heavyRain = inForce[0]!;
        Assert.Equal(3, heavyRain["levelEquivalent"]!.GetValue<int>());
        Assert.Equal("weather_warning", heavyRain["kind"]!.GetValue<string>());
        Assert.Equal("jma_upload", heavyRain["source"]!.GetValue<string>());
        Assert.Equal("Heavy rain warning (landslide)", heavyRain["nameEn"]!.GetValue<string>());
        Assert.Equal(["高畠町"], heavyRain["areas"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.False(heavyRain["enteredByHand"]!.GetValue<bool>());
        Assert.Equal(events + 2, await EventCountAsync());

        var (liftedStatus, lifted) = await UploadAsync(hq, "weather-lifted.xml");

        Assert.Equal(HttpStatusCode.Created, liftedStatus);
        Assert.Equal(["ended", "ended"], lifted["warnings"]!.AsArray().Select(w => w!["status"]!.GetValue<string>()));
        Assert.Empty(await InForceAsync());
        Assert.Equal(events + 4, await EventCountAsync());
        Assert.Equal(2, await app.Database.ScalarAsync<long>("SELECT count(*) FROM official_warnings WHERE status = 'ended'"));
    }

    [Fact]
    public async Task Landslide_alert_cancelled_leaves_the_picture_as_cancelled()
    {
        using var hq = await FreshHqAsync();

        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(hq, "landslide-issued.xml")).Status);
        Assert.Equal([4], (await InForceAsync()).Select(w => w!["levelEquivalent"]!.GetValue<int>()));

        var (status, cancelled) = await UploadAsync(hq, "landslide-cancelled.xml");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("cancelled", cancelled["warnings"]![0]!["status"]!.GetValue<string>());
        Assert.Empty(await InForceAsync());
        Assert.Equal("cancelled", await app.Database.ScalarAsync<string>("SELECT status FROM official_warnings"));

        var (againStatus, again) = await UploadAsync(hq, "landslide-cancelled.xml");
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal("duplicate", again["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cancellation_with_nothing_in_force_changes_nothing()
    {
        using var hq = await FreshHqAsync();

        var (status, body) = await UploadAsync(hq, "landslide-cancelled.xml");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("nothing_to_cancel", body["outcome"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync("official_warnings"));
    }

    [Fact]
    public async Task An_older_telegram_arriving_late_changes_nothing()
    {
        using var hq = await FreshHqAsync();
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(hq, "weather-emergency.xml")).Status);
        var before = Names(await InForceAsync()).ToList();
        var events = await EventCountAsync();

        var (status, body) = await UploadAsync(hq, "weather-issued.xml");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("older", body["outcome"]!.GetValue<string>());
        Assert.Equal(["大雨特別警報（土砂災害、浸水害）", "洪水警報", "雷注意報"], before);
        Assert.Equal(before, Names(await InForceAsync()));
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public async Task An_older_telegram_after_a_lifting_with_nothing_in_force_stays_lifted()
    {
        using var hq = await FreshHqAsync();
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(hq, "weather-lifted.xml")).Status);

        var (status, body) = await UploadAsync(hq, "weather-issued.xml");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("older", body["outcome"]!.GetValue<string>());
        Assert.Empty(await InForceAsync());
    }

    [Fact]
    public async Task The_same_telegram_twice_is_stored_once_and_changes_nothing_the_second_time()
    {
        using var hq = await FreshHqAsync();
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(hq, "weather-issued.xml")).Status);
        var events = await EventCountAsync();

        var (status, body) = await UploadAsync(hq, "weather-issued.xml");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("duplicate", body["outcome"]!.GetValue<string>());
        Assert.Equal(1, await CountAsync("official_telegrams"));
        Assert.Equal(2, await CountAsync("official_warnings"));
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public async Task A_telegram_for_another_area_is_ignored_and_not_stored()
    {
        using var hq = await FreshHqAsync();

        var (status, body) = await UploadAsync(hq, "weather-other-area.xml");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("not_for_town", body["outcome"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync("official_telegrams"));
        Assert.Empty(await InForceAsync());
    }

    [Theory]
    [InlineData("malformed.xml")]
    [InlineData("not-jma.xml")]
    [InlineData("xxe.xml")]
    public async Task A_malformed_or_foreign_document_is_refused_with_a_reason_and_nothing_is_stored(string file)
    {
        using var hq = await FreshHqAsync();
        var events = await EventCountAsync();

        var response = await hq.PostAsync("/api/official-warnings/telegrams", Xml(Telegram(file), "text/xml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]?.GetValue<string>()));
        Assert.Equal(0, await CountAsync("official_telegrams"));
        Assert.Equal(0, await CountAsync("official_warnings"));
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public async Task A_telegram_file_uploaded_from_a_form_is_recorded_and_other_media_types_are_refused()
    {
        using var hq = await FreshHqAsync();
        using var form = new MultipartFormDataContent { { Xml(Telegram("flood-danger.xml")), "file", "flood-danger.xml" } };

        var uploaded = await hq.PostAsync("/api/official-warnings/telegrams", form);
        var plain = await hq.PostAsync("/api/official-warnings/telegrams", new StringContent("<Report/>"));

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var flood = (await InForceAsync()).Single()!;
        Assert.Equal("屋代川氾濫危険情報", flood["name"]!.GetValue<string>());
        Assert.Equal(["屋代川"], flood["rivers"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(4, flood["levelEquivalent"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
    }

    [Fact]
    public async Task HQ_records_a_warning_by_hand_marked_as_such_and_ends_it()
    {
        using var hq = await FreshHqAsync();

        var entered = await hq.PostAsJsonAsync("/api/official-warnings", new
        {
            kind = "landslide_alert", name = "土砂災害警戒情報", headline = "県からのファクス", issuedAt = "2025-07-14T14:20:00+09:00",
            validUntil = "2099-01-01T00:00:00+09:00",
        });

        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var warning = (await entered.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(warning["enteredByHand"]!.GetValue<bool>());
        Assert.Equal("hq", warning["enteredBy"]!.GetValue<string>());
        Assert.Equal("hand", warning["source"]!.GetValue<string>());
        Assert.Equal(4, warning["levelEquivalent"]!.GetValue<int>());
        var shown = (await InForceAsync()).Single()!;
        Assert.True(shown["enteredByHand"]!.GetValue<bool>());
        Assert.Null(shown["enteredBy"]);

        var twice = await hq.PostAsJsonAsync("/api/official-warnings", new { kind = "landslide_alert", name = "土砂災害警戒情報" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);

        var id = warning["warningId"]!.GetValue<long>();
        var ended = await hq.PostAsync($"/api/official-warnings/{id}/end", null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal("ended", (await ended.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Empty(await InForceAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await hq.PostAsync($"/api/official-warnings/{id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hq.PostAsync("/api/official-warnings/999999/end", null)).StatusCode);
        Assert.Equal(2, await app.Database.ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE entity = 'official_warning' AND entity_id = '{id}'"));
    }

    [Theory]
    [InlineData("""{"name": "大雨警報"}""", "kind")]
    [InlineData("""{"kind": "weather_warning", "name": " "}""", "name")]
    [InlineData("""{"kind": "weather_warning", "name": "大雨警報", "levelEquivalent": 6}""", "levelEquivalent")]
    [InlineData("""{"kind": "weather_warning", "name": "大雨警報", "issuedAt": "yesterday"}""", "issuedAt")]
    public async Task A_hand_entry_without_what_it_needs_is_refused_naming_the_field(string body, string field)
    {
        using var hq = await FreshHqAsync();

        var response = await hq.PostAsync("/api/official-warnings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
        Assert.Equal(0, await CountAsync("official_warnings"));
    }

    [Theory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("field", HttpStatusCode.Forbidden)]
    [InlineData("shelter", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    public async Task Only_HQ_uploads_enters_or_ends_official_warnings(string role, HttpStatusCode expected)
    {
        using var hq = await FreshHqAsync();
        var entered = await hq.PostAsJsonAsync("/api/official-warnings", new { kind = "weather_warning", name = "大雨警報" });
        var id = (await entered.Content.ReadFromJsonAsync<JsonObject>())!["warningId"]!.GetValue<long>();
        using var client = role == "anonymous" ? app.Client() : await app.SignedInClientAsync(role);
        var events = await EventCountAsync();

        Assert.Equal(expected, (await client.PostAsync("/api/official-warnings/telegrams", Xml(Telegram("weather-issued.xml")))).StatusCode);
        Assert.Equal(expected, (await client.PostAsJsonAsync("/api/official-warnings", new { kind = "weather_warning", name = "洪水警報" })).StatusCode);
        Assert.Equal(expected, (await client.PostAsync($"/api/official-warnings/{id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/official-warnings")).StatusCode);
        Assert.Equal(events, await EventCountAsync());
        Assert.Equal(0, await CountAsync("official_telegrams"));
    }

    [Fact]
    public async Task A_drill_telegram_is_refused_without_a_drill_and_recorded_as_the_drills_during_one()
    {
        using var hq = await FreshHqAsync();
        var snapshots = app.Services.GetRequiredService<SituationSnapshots>();
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(hq, "flood-danger.xml")).Status);

        var refused = await hq.PostAsync("/api/official-warnings/telegrams", Xml(Telegram("weather-drill.xml")));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(1, await CountAsync("official_telegrams"));

        var drill = (await (await hq.PostAsJsonAsync("/api/drills", new { name = "総合防災訓練" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var drillId = drill["drillId"]!.GetValue<long>();
        var (status, body) = await UploadAsync(hq, "weather-drill.xml");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.All(body["warnings"]!.AsArray(), w => Assert.Equal(drillId, w!["drillId"]!.GetValue<long>()));
        var during = await snapshots.LoadAsync(Audience.Public, CancellationToken.None);
        Assert.Equal(3, during.OfficialWarnings!.Count);
        Assert.Single(during.OfficialWarnings, w => w.DrillId is null);

        Assert.Equal(HttpStatusCode.OK, (await hq.PostAsync("/api/drills/current/end", null)).StatusCode);

        var after = await snapshots.LoadAsync(Audience.Staff, CancellationToken.None);
        Assert.Equal(["屋代川氾濫危険情報"], after.OfficialWarnings!.Select(w => w.Name));
    }

    [Fact]
    public async Task Both_snapshots_carry_the_warnings_in_force_and_the_public_one_without_staff_names()
    {
        using var hq = await FreshHqAsync();
        var snapshots = app.Services.GetRequiredService<SituationSnapshots>();
        await hq.PostAsJsonAsync("/api/official-warnings", new { kind = "weather_warning", name = "大雨警報", condition = "土砂災害", issuedAt = "2025-07-14T10:00:00+09:00" });

        var staff = await snapshots.LoadAsync(Audience.Staff, CancellationToken.None);
        var residents = await snapshots.LoadAsync(Audience.Public, CancellationToken.None);

        Assert.Equal("hq", staff.OfficialWarnings!.Single().EnteredBy);
        Assert.Equal(3, staff.OfficialWarnings!.Single().LevelEquivalent);
        Assert.Null(residents.OfficialWarnings!.Single().EnteredBy);
        Assert.True(residents.OfficialWarnings!.Single().EnteredByHand);
    }
}
