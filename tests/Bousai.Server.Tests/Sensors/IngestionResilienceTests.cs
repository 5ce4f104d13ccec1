using Bousai.Server.Shelters;
using System.Globalization;
using System.Text;
using Bousai.Server.Sensors;
using Bousai.Server.Store;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.Tests.Sensors;

/// <summary>
/// The store itself, on a migrated database with gauges of its own: whatever a message contains, it becomes a reading
/// or a dead letter with a reason, in the same batch as good readings; and ingestion and the gauge-state refresher,
/// running at once, never deadlock on station_states.
/// </summary>
public sealed class IngestionResilienceTests : IAsyncLifetime
{
    private const int Stations = 1_000;
    private readonly TestDatabase _database = new();
    private NpgsqlDataSource _db = null!;
    private ReadingStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await new SchemaMigrator(_database.ConnectionString).MigrateAsync();
        await _database.ScalarAsync<object>(
            $"""
            INSERT INTO stations (id, source, kind, gauge_type, name_ja, illustrative, properties, geom)
            SELECT 'gauge-' || lpad(i::text, 4, '0'), 'test', 'water_level', 'standard', '観測所' || i, true, '{"{}"}',
                   ST_SetSRID(ST_MakePoint(140.1 + i / 100000.0, 38.1), 4326)
            FROM generate_series(1, {Stations}) i
            """);
        _db = _database.CreateDataSource();
        _store = new ReadingStore(_db, Options.Create(new MqttOptions()), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static byte[] Level(DateTimeOffset t, double metres, string unit = "m") => Encoding.UTF8.GetBytes(
        $$"""{"observedAt":"{{Iso(t)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"{{unit}}"}""");

    private static ReceivedMessage Message(string topic, byte[] payload) => new(topic, payload, DateTimeOffset.UtcNow);

    public static TheoryData<string, string, string, string> Hostile
    {
        get
        {
            const string Good = "bousai/v1/stations/gauge-0001/water_level";
            var now = DateTimeOffset.UtcNow.AddMinutes(-1);
            string Json(string unitJson) => $$"""{"observedAt":"{{Iso(now)}}","value":1.0,"unit":{{unitJson}}}""";
            return new()
            {
                { "a NUL in the station id", "bousai/v1/stations/sta\u0000tion/water_level", Json("\"m\""), "bad_topic" },
                { "a NUL in the quantity", "bousai/v1/stations/gauge-0001/water\u0000level", Json("\"m\""), "bad_topic" },
                { "a lone surrogate in the topic", "bousai/v1/stations/gauge-\uD800/water_level", Json("\"m\""), "bad_topic" },
                { "invalid UTF-8 in the topic, as MQTTnet decodes it", "bousai/v1/stations/gauge-\uFFFD/water_level", Json("\"m\""), "bad_topic" },
                { "a 65,000-character topic", "bousai/v1/stations/" + new string('a', 65_000) + "/water_level", Json("\"m\""), "bad_topic" },
                { "2,000 levels", string.Join('/', Enumerable.Repeat("a", 2_000)), Json("\"m\""), "bad_topic" },
                { "a + wildcard", "bousai/v1/stations/+/water_level", Json("\"m\""), "bad_topic" },
                { "a # wildcard", "bousai/v1/stations/#", Json("\"m\""), "bad_topic" },
                { "an empty topic", "", Json("\"m\""), "bad_topic" },
                { "an escaped NUL in the unit", Good, Json("\"m\\u0000\""), "wrong_unit" },
                { "an escaped lone surrogate in the unit", Good, Json("\"\\ud800\""), "malformed_json" },
                { "an escaped lone surrogate in the time", Good, """{"observedAt":"2026-08-03T19:10:00\ud800+09:00","value":1.0,"unit":"m"}""", "bad_timestamp" },
                { "an escaped lone surrogate in the value", Good, $$"""{"observedAt":"{{Iso(now)}}","value":"NaN\udc00","unit":"m"}""", "malformed_json" },
                { "a raw NUL in the payload", Good, "{\"observedAt\":\"" + Iso(now) + "\",\"value\":1.0,\"unit\":\"m\u0000\"}", "malformed_json" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_message_becomes_a_dead_letter_with_its_reason_and_the_good_reading_beside_it_is_stored(
        string _, string topic, string payload, string reason)
    {
        var marker = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());

        var result = await _store.WriteAsync([Message(topic, Encoding.UTF8.GetBytes(payload)), Message("bousai/v1/stations/gauge-0002/water_level", Level(marker, 1.5))],
            CancellationToken.None);

        Assert.Equal((1, 1), (result.Stored, result.Refused));
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM readings"));
        Assert.Equal(1, await _database.ScalarAsync<long>($"SELECT count(*) FROM readings WHERE station_id = 'gauge-0002' AND observed_at = '{marker:O}'"));
        Assert.Equal(reason, await _database.ScalarAsync<string>("SELECT reason FROM dead_letters"));
        var kept = await _database.ScalarAsync<string>("SELECT topic || coalesce(station_id, '') || coalesce(detail, '') || payload FROM dead_letters");
        Assert.DoesNotContain('\0', kept);
        Assert.True(await _database.ScalarAsync<int>("SELECT length(topic) FROM dead_letters") <= DeadLetterText.MaxTopicChars);
    }

    [Fact]
    public async Task A_payload_that_is_not_UTF8_is_a_dead_letter_saying_so()
    {
        var marker = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        byte[] invalid = [.. Encoding.UTF8.GetBytes("{\"observedAt\":\"2026-08-03T19:10:00+09:00\",\"value\":1.0,\"unit\":\""), 0xC3, 0x28, 0xFF, 0x00, .. "\"}"u8];

        await _store.WriteAsync([Message("bousai/v1/stations/gauge-0003/water_level", invalid), Message("bousai/v1/stations/gauge-0002/water_level", Level(marker, 1.5))],
            CancellationToken.None);

        Assert.Equal("invalid_utf8", await _database.ScalarAsync<string>("SELECT reason FROM dead_letters WHERE station_id = 'gauge-0003'"));
        Assert.Contains("\\u0000", await _database.ScalarAsync<string>("SELECT payload FROM dead_letters WHERE station_id = 'gauge-0003'"));
        Assert.Equal(1, await _database.ScalarAsync<long>($"SELECT count(*) FROM readings WHERE station_id = 'gauge-0002' AND observed_at = '{marker:O}'"));
    }

    [Fact]
    public async Task Ingestion_and_the_state_refresher_running_at_once_never_deadlock()
    {
        var refresher = new StationStateRefresher(_db, _store, new HazardMonitor(_db, TimeProvider.System, NullLogger<HazardMonitor>.Instance), new FastClock(), NullLogger<StationStateRefresher>.Instance);
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var batches = 0;
        var passes = 0;
        using var run = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-6).ToUnixTimeSeconds());

        async Task Ingest(int writer)
        {
            var random = new Random(writer);
            for (var i = 0; !run.IsCancellationRequested; i++)
            {
                // Some of the gauges, in an order of its own each time: the database must not care in what order messages came.
                var observed = start.AddMilliseconds(writer * 1_000_000 + i);
                var messages = Enumerable.Range(1, Stations).OrderBy(_ => random.Next()).Take(random.Next(50, Stations))
                    .Select(s => Message($"bousai/v1/stations/gauge-{s:0000}/water_level", Level(observed, 1 + s / 10_000.0))).ToList();
                try
                {
                    await _store.WriteAsync(messages, CancellationToken.None);
                    Interlocked.Increment(ref batches);
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            }
        }

        async Task Refresh()
        {
            while (!run.IsCancellationRequested)
            {
                try
                {
                    await refresher.RefreshAsync(CancellationToken.None);
                    Interlocked.Increment(ref passes);
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            }
        }

        await Task.WhenAll(Ingest(1), Ingest(2), Ingest(3), Refresh());

        Assert.True(failures.IsEmpty, $"{failures.Count} failures ({failures.Count(f => f is PostgresException { SqlState: "40P01" })} deadlocks) in {batches} batches and {passes} passes: {failures.FirstOrDefault()}");
        Assert.True(batches > 2 && passes > 2, $"too little ran to tell: {batches} batches, {passes} passes");
    }

    /// <summary>A clock a second further on at every look, so every dirty gauge is due again on each refresher pass.</summary>
    private sealed class FastClock : TimeProvider
    {
        private long _ticks;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddSeconds(Interlocked.Increment(ref _ticks));
    }
}
