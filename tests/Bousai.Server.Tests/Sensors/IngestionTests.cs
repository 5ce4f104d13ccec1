using System.Globalization;
using Bousai.Server.Sensors;
using Bousai.Server.Tests.Support;
using Bousai.Testing;

namespace Bousai.Server.Tests.Sensors;

/// <summary>Gauges publishing to the embedded broker; what lands in readings and what in the dead letters.</summary>
public sealed class IngestionTests(BousaiApp app) : IClassFixture<BousaiApp>, IAsyncLifetime
{
    private GaugePublisher _gauge = null!;

    public async Task InitializeAsync() => _gauge = await app.GaugeAsync();

    public async Task DisposeAsync() => await _gauge.DisposeAsync();

    /// <summary>A time as gauges send it: to the millisecond.</summary>
    private static DateTimeOffset Ms(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    private static string Iso(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static string Level(DateTimeOffset t, double metres) =>
        $$"""{"observedAt":"{{Iso(t)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""";

    private Task<long> ReadingsAsync(string station) =>
        app.Database.ScalarAsync<long>($"SELECT count(*) FROM readings WHERE station_id = '{station}'");

    private Task<long> DeadLettersAsync(string reason) =>
        app.Database.ScalarAsync<long>($"SELECT count(*) FROM dead_letters WHERE reason = '{reason}'");

    [Fact]
    public async Task A_gauge_reading_is_stored_and_becomes_the_gauge_latest_state()
    {
        var observed = DateTimeOffset.UtcNow.AddMinutes(-1);
        await _gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", Level(observed, 2.34));
        await _gauge.PublishAsync("bousai/v1/stations/station-amedas-35511/rainfall",
            $$"""{"observedAt":"{{Iso(observed)}}","value":4.5,"unit":"mm","intervalMinutes":10}""");

        await Eventually.TrueAsync(async () => await ReadingsAsync("station-nakahashi") >= 1 && await ReadingsAsync("station-amedas-35511") >= 1, "both readings");
        Assert.Equal(2.34, await app.Database.ScalarAsync<double>(
            "SELECT value FROM station_states WHERE station_id = 'station-nakahashi' AND quantity = 'water_level'"));
        Assert.Equal((short)10, await app.Database.ScalarAsync<short>(
            "SELECT interval_minutes FROM readings WHERE station_id = 'station-amedas-35511' ORDER BY observed_at DESC LIMIT 1"));
    }

    public static TheoryData<string, string, string, string> BadInput
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            string R(string value, string unit = "\"m\"", double minutes = -1) =>
                $$"""{"observedAt":"{{Iso(now.AddMinutes(minutes))}}","value":{{value}},"unit":{{unit}}}""";
            const string Nakahashi = "bousai/v1/stations/station-nakahashi/water_level";
            return new()
            {
                { "unknown station", "bousai/v1/stations/station-nowhere/water_level", R("1.0"), "unknown_station" },
                { "rain on a river gauge", "bousai/v1/stations/station-nakahashi/rainfall", R("1.0", "\"mm\""), "quantity_not_measured_by_station" },
                { "malformed JSON", Nakahashi, "{\"observedAt\": \"2026-08-03T19:10:00+09:00\", \"value\": 3.4", "malformed_json" },
                { "bare NaN token", Nakahashi, R("NaN"), "malformed_json" },
                { "NaN as a string", Nakahashi, R("\"NaN\""), "not_finite" },
                { "a number too large for a double", Nakahashi, R("1e999"), "not_finite" },
                { "wrong unit", Nakahashi, R("342", "\"cm\""), "wrong_unit" },
                { "missing unit", Nakahashi, $$"""{"observedAt":"{{Iso(now)}}","value":3.4}""", "missing_unit" },
                { "outside physical bounds", Nakahashi, R("342"), "out_of_bounds" },
                { "an hour in the future", Nakahashi, R("1.0", minutes: 60), "future_timestamp" },
                { "older than retention", Nakahashi, R("1.0", minutes: -800 * 1440), "older_than_retention" },
                { "no offset on the time", Nakahashi, """{"observedAt":"2026-08-03T19:10:00","value":1.0,"unit":"m"}""", "bad_timestamp" },
                { "no value", Nakahashi, $$"""{"observedAt":"{{Iso(now)}}","unit":"m"}""", "missing_field" },
                // An unknown quantity or a station id outside the contract never gets past the embedded broker
                // (BrokerAccessTests); ingestion dead-letters them when an external broker relays them.
                { "oversized payload", Nakahashi, "[" + string.Join(",", Enumerable.Repeat(R("1.0"), 5_000)) + "]", "oversized_payload" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_goes_to_the_dead_letters_with_its_reason_and_never_into_readings(string _, string topic, string payload, string reason)
    {
        var readingsBefore = await app.Database.ScalarAsync<long>("SELECT count(*) FROM readings");
        var before = await DeadLettersAsync(reason);
        using var metrics = app.Client();

        await _gauge.PublishAsync(topic, payload);
        // A good reading published after the bad one proves the pipeline went on.
        var marker = Ms(DateTimeOffset.UtcNow.AddSeconds(-Random.Shared.Next(1, 100_000) / 1000.0));
        await _gauge.PublishAsync("bousai/v1/stations/station-nukanome/water_level", Level(marker, 1.11));

        await Eventually.TrueAsync(async () => await DeadLettersAsync(reason) > before, $"a dead letter '{reason}'");
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM readings WHERE station_id = 'station-nukanome' AND observed_at = '{marker:O}'") == 1, "the next good reading");
        Assert.Equal(readingsBefore + 1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM readings"));
        var kept = await app.Database.ScalarAsync<string>($"SELECT payload FROM dead_letters WHERE reason = '{reason}' ORDER BY id DESC LIMIT 1");
        Assert.True(kept.Length <= SensorMessages.KeptPayloadBytes);
        Assert.StartsWith(payload[..Math.Min(payload.Length, 20)], kept);
        Assert.Contains($"bousai_ingest_dead_letters_total{{reason=\"{reason}\"}}", await metrics.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_backlog_array_stores_its_good_readings_and_dead_letters_only_the_bad_one()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-3).AddSeconds(-Random.Shared.Next(0, 3600));
        var before = await ReadingsAsync("station-wada-natsumo");
        var backlog = "[" + string.Join(",", Enumerable.Range(0, 6).Select(i => i == 3
            ? $$"""{"observedAt":"{{Iso(start.AddMinutes(10 * i))}}","value":99999,"unit":"m"}"""
            : Level(start.AddMinutes(10 * i), 0.5 + i / 10.0))) + "]";

        await _gauge.PublishAsync("bousai/v1/stations/station-wada-natsumo/water_level", backlog);

        await Eventually.TrueAsync(async () => await ReadingsAsync("station-wada-natsumo") == before + 5, "five of six readings");
        var detail = await app.Database.ScalarAsync<string>(
            "SELECT detail FROM dead_letters WHERE station_id = 'station-wada-natsumo' AND reason = 'out_of_bounds' ORDER BY id DESC LIMIT 1");
        Assert.StartsWith("element 3:", detail);
    }

    [Fact]
    public async Task A_backlog_from_an_unknown_gauge_is_one_dead_letter_not_one_per_reading()
    {
        var start = Ms(DateTimeOffset.UtcNow.AddHours(-1));
        var backlog = "[" + string.Join(",", Enumerable.Range(0, 6).Select(i => Level(start.AddMinutes(10 * i), 1.0))) + "]";

        await _gauge.PublishAsync("bousai/v1/stations/station-not-yet-registered/water_level", backlog);

        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM dead_letters WHERE station_id = 'station-not-yet-registered'") > 0, "the dead letter");
        await Task.Delay(300);
        Assert.Equal(1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM dead_letters WHERE station_id = 'station-not-yet-registered'"));
        var kept = await app.Database.ScalarAsync<string>("SELECT payload FROM dead_letters WHERE station_id = 'station-not-yet-registered'");
        Assert.Equal(6, kept.Split("observedAt").Length - 1);
    }

    [Fact]
    public async Task Redelivered_readings_are_stored_exactly_once()
    {
        var observed = DateTimeOffset.UtcNow.AddMinutes(-2).AddMilliseconds(-Random.Shared.Next(0, 60_000));
        var before = await ReadingsAsync("station-amedas-35552");
        var payload = $$"""{"observedAt":"{{Iso(observed)}}","value":2.5,"unit":"mm"}""";

        for (var i = 0; i < 5; i++) await _gauge.PublishAsync("bousai/v1/stations/station-amedas-35552/rainfall", payload);
        await _gauge.PublishAsync("bousai/v1/stations/station-amedas-35552/rainfall", $"[{payload},{payload}]");

        // A marker published last: once it is stored, every copy before it has been handled.
        var marker = Ms(DateTimeOffset.UtcNow.AddMinutes(-1));
        await _gauge.PublishAsync("bousai/v1/stations/station-amedas-35552/rainfall", $$"""{"observedAt":"{{Iso(marker)}}","value":0.5,"unit":"mm"}""");
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM readings WHERE station_id = 'station-amedas-35552' AND observed_at = '{marker:O}'") == 1, "the marker");
        Assert.Equal(before + 2, await ReadingsAsync("station-amedas-35552"));
    }

    [Fact]
    public async Task A_late_reading_is_stored_without_rolling_back_the_latest_state()
    {
        var latest = Ms(DateTimeOffset.UtcNow.AddSeconds(-30));
        await _gauge.PublishAsync("bousai/v1/stations/station-wada-natsumo/water_level", Level(latest, 3.21));
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<double>(
            "SELECT value FROM station_states WHERE station_id = 'station-wada-natsumo'") == 3.21, "the latest state");

        var late = latest.AddMinutes(-50);
        await _gauge.PublishAsync("bousai/v1/stations/station-wada-natsumo/water_level", Level(late, 1.05));
        await Eventually.TrueAsync(async () => await app.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM readings WHERE station_id = 'station-wada-natsumo' AND observed_at = '{late:O}'") == 1, "the late reading");

        Assert.Equal(3.21, await app.Database.ScalarAsync<double>("SELECT value FROM station_states WHERE station_id = 'station-wada-natsumo'"));
    }

    [Fact]
    public async Task Anonymous_gauges_and_wrong_passwords_are_refused_by_the_embedded_broker()
    {
        var anonymous = await Assert.ThrowsAnyAsync<Exception>(() => GaugePublisher.ConnectAsync(app.MqttPort, null, null, "anon"));
        Assert.Contains("NotAuthorized", anonymous.Message + anonymous.InnerException?.Message);
        var wrong = await Assert.ThrowsAnyAsync<Exception>(() => GaugePublisher.ConnectAsync(app.MqttPort, BousaiApp.SensorUser, "guess", "wrong"));
        Assert.Contains("BadUserNameOrPassword", wrong.Message + wrong.InnerException?.Message);
    }
}
