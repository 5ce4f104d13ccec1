using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bousai.Server.Live;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bousai.Server.Tests.Live;

/// <summary>
/// The situation at a moment in the past: while real changes flow through the API (shelters, levels, reports and their
/// triage, alerts, warnings, hazards, a drill that ends, gauge readings), the live snapshot is recorded after each; then
/// each is rebuilt from the log and must be the same, from the nearest checkpoint and from a replay of the whole log.
/// </summary>
public sealed class SituationHistoryTests : IAsyncLifetime
{
    private readonly BousaiApp _app = BousaiApp.OnKestrel(new Dictionary<string, string>
    {
        // A checkpoint every few events, written when the test says so: the rebuild crosses many of them.
        ["Live:CheckpointEvery"] = "3",
        ["Live:CheckpointInterval"] = "01:00:00",
    });

    private readonly List<Sample> _samples = [];

    private sealed record Sample(long Seq, DateTimeOffset Moment, JsonNode Snapshot, string Step);

    private NpgsqlDataSource Db => _app.Services.GetRequiredService<NpgsqlDataSource>();

    private SituationHistory History => _app.Services.GetRequiredService<SituationHistory>();

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task Every_moment_rebuilt_from_the_log_is_the_situation_that_was_live_then_from_the_nearest_checkpoint_and_from_a_full_replay()
    {
        await RecordScenarioAsync();

        var checkpoints = await _app.Database.ScalarAsync<long>("SELECT count(*) FROM situation_checkpoints WHERE origin = 'replay'");
        Assert.True(checkpoints >= 5, $"only {checkpoints} replayed checkpoints were written");
        var movedOn = 0;
        foreach (var sample in _samples)
        {
            var rebuilt = await History.AtPositionAsync(sample.Seq, sample.Moment, CancellationToken.None);
            Assert.NotNull(rebuilt);
            AssertSame(sample.Snapshot, rebuilt, $"after {sample.Step} (event {sample.Seq}), from the nearest checkpoint");
            AssertSame(sample.Snapshot, await FullReplayAsync(sample.Seq, sample.Moment), $"after {sample.Step} (event {sample.Seq}), replayed in full");
            if (!JsonNode.DeepEquals(sample.Snapshot, _samples[0].Snapshot)) movedOn++;
        }

        Assert.True(movedOn >= _samples.Count - 1, "every step changed the situation");
    }

    [Fact]
    public async Task A_moment_gives_the_situation_after_the_last_event_before_it_and_none_before_the_record_begins()
    {
        await RecordScenarioAsync();
        var record = await History.RecordAsync(CancellationToken.None);
        Assert.NotNull(record.StartsAt);

        // A sample's moment is after its event; when no other event came before that moment, the moment alone finds it.
        var quiet = 0;
        foreach (var sample in _samples)
        {
            var later = await _app.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM situation_events WHERE seq > {sample.Seq} AND occurred_at <= '{sample.Moment:O}'");
            if (later > 0) continue;
            quiet++;
            var past = await History.PastAsync(sample.Moment, CancellationToken.None);
            Assert.NotNull(past);
            Assert.Equal(sample.Seq, past.Snapshot.Seq);
            AssertSame(sample.Snapshot, past.Snapshot, $"at {sample.Moment:O} ({sample.Step})");
        }

        Assert.True(quiet >= _samples.Count / 2, $"only {quiet} of {_samples.Count} samples were quiet enough to find by their moment");
        Assert.Null(await History.PastAsync(record.StartsAt!.Value.AddSeconds(-1), CancellationToken.None));
        // The start itself opens, as a browser gives it back (to the millisecond).
        Assert.Equal(0, record.StartsAt.Value.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.NotNull(await History.PastAsync(record.StartsAt.Value, CancellationToken.None));
    }

    [Fact]
    public async Task The_api_answers_a_moment_events_up_to_a_moment_and_refuses_what_it_cannot_answer()
    {
        await RecordScenarioAsync();
        using var hq = await _app.SignedInClientAsync("hq");
        var middle = _samples[_samples.Count / 2];
        var at = Uri.EscapeDataString(middle.Moment.ToOffset(TimeSpan.FromHours(9)).ToString("O", CultureInfo.InvariantCulture));

        var past = await hq.GetFromJsonAsync<JsonObject>($"/api/situation/at?moment={at}");
        Assert.True(past!["snapshot"]!["seq"]!.GetValue<long>() >= middle.Seq);
        Assert.NotNull(past["hazards"]);

        var last = _samples[^1];
        var events = await hq.GetFromJsonAsync<JsonObject>(
            $"/api/situation/events?after={middle.Seq}&until={Uri.EscapeDataString(last.Moment.ToString("O"))}&limit=2");
        Assert.Equal(middle.Seq, events!["after"]!.GetValue<long>());
        Assert.Equal(2, events["events"]!.AsArray().Count);
        Assert.True(events["more"]!.GetValue<bool>());
        Assert.Equal(middle.Seq + 2, events["through"]!.GetValue<long>());

        // The charts and histories HQ opens in the past stop at the moment.
        string Moment(string step) => Uri.EscapeDataString(_samples.Single(x => x.Step == step).Moment.ToString("O"));
        Assert.Empty((await hq.GetFromJsonAsync<JsonArray>($"/api/shelters/takahata-shelter-02/history?until={Moment("a shelter opened")}"))!);
        Assert.Equal(2, (await hq.GetFromJsonAsync<JsonArray>($"/api/shelters/takahata-shelter-02/history?until={Moment("a head count")}"))!.Count);
        var reportId = _samples.Single(x => x.Step == "reports sent").Snapshot["reports"]!.AsArray()[0]!["reportId"]!.GetValue<long>();
        var untilSent = (await hq.GetFromJsonAsync<JsonArray>($"/api/reports/{reportId}/history?until={Moment("reports sent")}"))!;
        var whole = (await hq.GetFromJsonAsync<JsonArray>($"/api/reports/{reportId}/history"))!;
        Assert.Single(untilSent);
        Assert.True(whole.Count > untilSent.Count);
        var beforeReading = Uri.EscapeDataString(_samples[0].Moment.AddMinutes(-5).ToString("O"));
        Assert.Empty((await hq.GetFromJsonAsync<JsonObject>($"/api/stations/station-nakahashi/readings?until={beforeReading}"))!["points"]!.AsArray());
        Assert.NotEmpty((await hq.GetFromJsonAsync<JsonObject>($"/api/stations/station-nakahashi/readings?until={Moment("a gauge reading")}"))!["points"]!.AsArray());

        var record = await hq.GetFromJsonAsync<JsonObject>("/api/situation/record");
        Assert.NotNull(record!["startsAt"]);

        var before = await hq.GetAsync($"/api/situation/at?moment={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddYears(-3).ToString("O"))}");
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("application/problem+json", before.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await before.Content.ReadFromJsonAsync<JsonObject>())!["recordStartsAt"]);

        foreach (var bad in new[] { "", "?moment=yesterday", $"?moment={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}" })
        {
            var refused = await hq.GetAsync("/api/situation/at" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await hq.GetAsync($"/api/situation/events?until={at}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await hq.GetAsync($"/api/situation/events?after=0&until={at}&limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Client().GetAsync($"/api/situation/at?moment={at}")).StatusCode);
    }

    [Fact]
    public async Task An_import_of_geodata_after_the_last_checkpoint_gives_a_new_checkpoint_read_from_the_tables()
    {
        var checkpointer = _app.Services.GetRequiredService<SituationCheckpointer>();
        await checkpointer.WriteDueAsync(CancellationToken.None);
        Assert.Equal(0, await checkpointer.WriteDueAsync(CancellationToken.None));

        await using (var import = Db.CreateCommand("UPDATE layer_revisions SET revision = revision + 1 WHERE layer = 'shelters'"))
        {
            await import.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await checkpointer.WriteDueAsync(CancellationToken.None));
        Assert.Equal("store", await _app.Database.ScalarAsync<string>("SELECT origin FROM situation_checkpoints ORDER BY seq DESC LIMIT 1"));
        Assert.Equal(0, await checkpointer.WriteDueAsync(CancellationToken.None));
    }

    /// <summary>Real changes through the API and a gauge, recording the live snapshot after each.</summary>
    private async Task RecordScenarioAsync()
    {
        var checkpointer = _app.Services.GetRequiredService<SituationCheckpointer>();
        await checkpointer.WriteDueAsync(CancellationToken.None);
        using var hq = await _app.SignedInClientAsync("hq");
        using var field = await _app.SignedInClientAsync("field");

        await using (var gauge = await _app.GaugeAsync())
        {
            await gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", Level(1.2));
            await Eventually.TrueAsync(async () => await _app.Database.ScalarAsync<long>(
                "SELECT count(*) FROM station_states WHERE station_id = 'station-nakahashi' AND derived IS NOT NULL") == 1, "中橋's state");
        }

        await QuietAsync();
        await RecordAsync("a gauge reading");

        await Ok(hq.PutAsJsonAsync("/api/shelters/takahata-shelter-01/status", new { open = true, occupancy = 20 }));
        await RecordAsync("a shelter opened");
        await Ok(hq.PutAsJsonAsync("/api/shelters/takahata-shelter-02/status", new { open = true, occupancy = 50 }));
        await Ok(hq.PutAsJsonAsync("/api/shelters/takahata-shelter-02/status", new { open = true, occupancy = 64 }));
        await RecordAsync("a head count");
        await Ok(hq.PutAsJsonAsync("/api/districts/district-niijuku/evacuation-level", new { level = 3, decidedBy = "本部長", reason = "屋代川の水位上昇" }));
        await RecordAsync("level 3");
        await Ok(hq.PutAsJsonAsync("/api/districts/district-niijuku/evacuation-level", new { level = 4, decidedBy = "本部長", reason = "氾濫危険水位" }));
        await RecordAsync("level 4");
        await checkpointer.WriteDueAsync(CancellationToken.None);

        var flooded = await field.SubmitReportAsync("flooding", "serious", "道路冠水 30cm", 140.19, 38.00);
        var blocked = await field.SubmitReportAsync("road_blocked", "serious", "倒木", 140.20, 38.01);
        var again = await field.SubmitReportAsync("road_blocked", "minor", "倒木（同じ場所）", 140.2001, 38.0101);
        await RecordAsync("reports sent");
        await Ok(hq.PostAsJsonAsync($"/api/reports/{flooded}/status", new { status = "verified", comment = "現地確認" }));
        await Ok(hq.PostAsJsonAsync($"/api/reports/{blocked}/status", new { status = "verified" }));
        await Ok(hq.PostAsJsonAsync($"/api/reports/{again}/duplicate", new { duplicateOf = blocked, comment = "同じ倒木" }));
        await RecordAsync("reports triaged and merged");
        await Ok(hq.PostAsJsonAsync($"/api/reports/{blocked}/status", new { status = "resolved" }));
        await RecordAsync("a report resolved");

        var raised = await Ok(hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", level = 3, message = "屋代川 中橋 上昇中" }));
        var other = await Ok(hq.PostAsJsonAsync("/api/alerts", new { kind = "landslide", level = 4, districtId = "district-niijuku", message = "裏山に亀裂" }));
        await RecordAsync("alerts raised");
        await Ok(hq.PostAsync($"/api/alerts/{raised["alertId"]}/acknowledge", null));
        await Ok(hq.PostAsJsonAsync($"/api/alerts/{other["alertId"]}/clear", new { note = "現地確認、異常なし" }));
        await RecordAsync("alerts acknowledged and cleared");
        await checkpointer.WriteDueAsync(CancellationToken.None);

        await Ok(hq.PostAsJsonAsync("/api/official-warnings", new { kind = "landslide_alert", name = "土砂災害警戒情報" }));
        await QuietAsync();
        await RecordAsync("an official warning");
        await Ok(hq.PutAsJsonAsync("/api/hazards/flood", new { active = true, reason = "本部判断：全河川で警戒" }));
        await QuietAsync();
        await RecordAsync("a hazard declared");

        await Ok(hq.PostAsJsonAsync("/api/drills", new { name = "水害対応訓練" }));
        await RecordAsync("a drill started");
        await Ok(hq.PutAsJsonAsync("/api/districts/district-niijuku/evacuation-level", new { level = 5, decidedBy = "本部長", reason = "訓練：緊急安全確保" }));
        await Ok(hq.PutAsJsonAsync("/api/districts/district-takahata/evacuation-level", new { level = 3, decidedBy = "本部長", reason = "訓練" }));
        await field.SubmitReportAsync("flooding", "minor", "訓練：冠水想定", 140.18, 38.02);
        await Ok(hq.PostAsJsonAsync("/api/alerts", new { kind = "water_level", level = 5, message = "訓練：氾濫発生" }));
        await RecordAsync("changes in the drill");
        await checkpointer.WriteDueAsync(CancellationToken.None);
        await Ok(hq.PostAsync("/api/drills/current/end", null));
        await QuietAsync();
        await RecordAsync("the drill ended");

        await Ok(hq.PutAsJsonAsync("/api/districts/district-niijuku/evacuation-level", new { level = 0, decidedBy = "本部長", reason = "水位低下" }));
        await Ok(hq.PutAsJsonAsync("/api/shelters/takahata-shelter-01/status", new { open = false, occupancy = 0 }));
        await RecordAsync("level lifted and a shelter closed");
        await checkpointer.WriteDueAsync(CancellationToken.None);
    }

    private async Task RecordAsync(string step)
    {
        var snapshot = await _app.Services.GetRequiredService<SituationSnapshots>().LoadAsync(Audience.Staff, CancellationToken.None);
        _samples.Add(new Sample(snapshot.Seq, DateTimeOffset.UtcNow, Normalised(snapshot), step));
        // Events are timed by the server's clock to the microsecond: a sample's moment must come after its last event.
        await Task.Delay(20);
    }

    /// <summary>Waits until the system's own follow-ups (alerts, hazards, recommendations after a change) have settled.</summary>
    private async Task QuietAsync()
    {
        var last = -1L;
        for (var still = 0; still < 3;)
        {
            await Task.Delay(300);
            var now = await _app.Database.ScalarAsync<long>("SELECT last_seq FROM situation_event_sequence");
            still = now == last ? still + 1 : 0;
            last = now;
        }
    }

    private async Task<SituationSnapshot> FullReplayAsync(long seq, DateTimeOffset moment)
    {
        await using var connection = await Db.OpenConnectionAsync();
        var first = await SituationCheckpoints.ReadAsync(connection, "ORDER BY seq LIMIT 1", [], CancellationToken.None);
        var situation = RecordedSituation.FromParts(first!.Parts);
        foreach (var change in await SituationEventLog.ReadAfterAsync(connection, null, situation.Seq, (int)(seq - situation.Seq), CancellationToken.None))
        {
            situation.Apply(change);
        }

        return situation.ToSnapshot(moment);
    }

    private static void AssertSame(JsonNode live, SituationSnapshot rebuilt, string when)
    {
        var again = Normalised(rebuilt);
        if (JsonNode.DeepEquals(live, again)) return;
        var differing = live.AsObject().Select(p => p.Key).Where(k => !JsonNode.DeepEquals(live[k], again[k]));
        Assert.Fail($"The situation {when} differs in {string.Join(", ", differing)}:\nlive    {live.ToJsonString()}\nrebuilt {again.ToJsonString()}");
    }

    /// <summary>The snapshot as JSON without its reading time, each list in the order of its items' ids (the live read's order depends on collation).</summary>
    private static JsonNode Normalised(SituationSnapshot snapshot)
    {
        var json = JsonSerializer.SerializeToNode(snapshot, BousaiJson.Options)!.AsObject();
        json.Remove("at");
        foreach (var (name, key) in new[]
                 {
                     ("shelters", "shelterId"), ("districts", "districtId"), ("stations", "stationId"), ("reports", "reportId"),
                     ("alerts", "alertId"), ("officialWarnings", "warningId"), ("recommendations", "recommendationId"),
                 })
        {
            if (json[name] is not JsonArray items) continue;
            var sorted = items.Select(i => i!.DeepClone()).OrderBy(i => i[key]!.ToJsonString(), StringComparer.Ordinal).ToArray();
            json[name] = new JsonArray(sorted);
        }

        return Microseconds(json);
    }

    /// <summary>Times to the microsecond, as PostgreSQL keeps them (an event carries the server's clock to 100 ns).</summary>
    private static JsonNode Microseconds(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList()) o[key] = o[key] is { } v ? Microseconds(v.DeepClone()) : null;
                return o;
            case JsonArray a:
                return new JsonArray([.. a.Select(i => i is null ? null : Microseconds(i.DeepClone()))]);
            case JsonValue v when v.TryGetValue<string>(out var text) && text.Length > 20 && text[4] == '-' && text[10] == 'T'
                                   && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time):
                return JsonValue.Create(time.AddTicks(-(time.UtcTicks % 10)).ToString("O", CultureInfo.InvariantCulture));
            default:
                return node;
        }
    }

    private static string Level(double metres) =>
        $$"""{"observedAt":"{{DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""";

    private static async Task<JsonObject> Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {response.StatusCode} {body}");
        return body.Length > 0 && body[0] == '{' ? JsonNode.Parse(body)!.AsObject() : [];
    }
}
