using System.Globalization;
using Bousai.Server.Tests.Support;
using Bousai.Testing;

namespace Bousai.Server.Tests.Sensors;

/// <summary>
/// Nothing accepted is lost: the server ingests from an external mosquitto with a persistent session and acknowledges
/// only what it has committed, so a SIGKILL or a broker restart in the middle of a QoS 1 stream loses nothing and
/// stores nothing twice.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly MosquittoBroker _broker = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _broker.InitializeAsync();
        var logins = Path.Combine(Path.GetTempPath(), $"bousai-logins-{Guid.NewGuid():N}.tsv");
        await ServerProcess.RunCommandAsync(Environment(), "setup", "--geodata", Repository.Geodata(""), "--demo-logins", logins);
        File.Delete(logins);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Dictionary<string, string> Environment(string clientId = "bousai-ingest-crash-test") => new()
    {
        ["ConnectionStrings__Bousai"] = _database.ConnectionString,
        ["Mqtt__Embedded"] = "false",
        ["Mqtt__Host"] = "127.0.0.1",
        ["Mqtt__Port"] = _broker.Port.ToString(),
        ["Mqtt__Username"] = MosquittoBroker.IngestUser,
        ["Mqtt__Password"] = MosquittoBroker.IngestPassword,
        // The same id after the restart: the broker keeps this session's subscription and unacknowledged messages for it.
        ["Mqtt__ClientId"] = clientId,
        ["Mqtt__MaxBatch"] = "50",
    };

    private static string Level(DateTimeOffset t, double metres) =>
        $$"""{"observedAt":"{{t.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""";

    private Task<long> StoredAsync() => _database.ScalarAsync<long>("SELECT count(*) FROM readings WHERE station_id = 'station-nakahashi'");

    [Fact]
    public async Task Killing_the_server_during_a_QoS1_stream_loses_nothing_and_stores_nothing_twice()
    {
        const int Readings = 3_000;
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds());
        var server = await ServerProcess.StartAsync(Environment());
        await using var gauge = await GaugePublisher.ConnectAsync(_broker.Port, MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "crash-gauge");
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < Readings; i++)
            {
                await gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", Level(start.AddSeconds(i), 1 + i / 10_000.0));
            }
        });

        await Eventually.TrueAsync(async () => await StoredAsync() >= 500, "the server to be ingesting");
        await server.KillAsync();
        var atKill = await StoredAsync();
        await publishing;
        Assert.True(atKill < Readings, $"the stream was over before the kill ({atKill} stored)");

        await using var restarted = await ServerProcess.StartAsync(Environment());
        await Eventually.TrueAsync(async () => await StoredAsync() >= Readings, $"all {Readings} readings after the restart", timeoutSeconds: 90);
        await Task.Delay(1_000);

        Assert.Equal(Readings, await StoredAsync());
        Assert.Equal(Readings, await _database.ScalarAsync<long>(
            "SELECT count(DISTINCT observed_at) FROM readings WHERE station_id = 'station-nakahashi'"));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM dead_letters"));
        Assert.Equal(start.AddSeconds(Readings - 1).UtcDateTime, await _database.ScalarAsync<DateTime>(
            "SELECT observed_at FROM station_states WHERE station_id = 'station-nakahashi'"));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task After_a_broker_restart_ingestion_reconnects_and_gets_what_was_queued_meanwhile()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-5).ToUnixTimeSeconds());
        await using var server = await ServerProcess.StartAsync(Environment());
        await using (var before = await GaugePublisher.ConnectAsync(_broker.Port, MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "gauge-before"))
        {
            for (var i = 0; i < 100; i++) await before.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", Level(start.AddMinutes(i), 1.0));
        }

        await Eventually.TrueAsync(async () => await StoredAsync() == 100, "the first 100 readings");
        await _broker.RestartAsync(TimeSpan.FromSeconds(2));

        // Published as soon as the broker is back, before ingestion has reconnected: queued in its persistent session.
        await using (var after = await GaugePublisher.ConnectAsync(_broker.Port, MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "gauge-after"))
        {
            for (var i = 100; i < 200; i++) await after.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", Level(start.AddMinutes(i), 2.0));
        }

        try
        {
            await Eventually.TrueAsync(async () => await StoredAsync() == 200, "the 100 readings published around the restart", timeoutSeconds: 60);
        }
        catch (TimeoutException)
        {
            var missing = await _database.ScalarAsync<string>(
                $"SELECT string_agg(i::text, ',') FROM generate_series(0, 199) i WHERE NOT EXISTS (SELECT 1 FROM readings WHERE station_id = 'station-nakahashi' AND observed_at = '{start:O}'::timestamptz + i * interval '1 minute')");
            Assert.Fail($"{await StoredAsync()} of 200 stored; missing {missing}; dead letters {await _database.ScalarAsync<long>("SELECT count(*) FROM dead_letters")}. Server output:\n{server.Output}");
        }

        Assert.Contains("disconnected", server.Output);
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM dead_letters"));
    }

    [Fact]
    public async Task Two_instances_share_the_subscription_and_store_every_reading_once()
    {
        const int Readings = 1_000;
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-4).ToUnixTimeSeconds());
        Dictionary<string, string> Shared(string clientId) => new(Environment(clientId)) { ["Mqtt__SharedGroup"] = "bousai-ingest" };
        await using var a = await ServerProcess.StartAsync(Shared("bousai-ingest-a"));
        await using var b = await ServerProcess.StartAsync(Shared("bousai-ingest-b"));
        await using (var gauge = await GaugePublisher.ConnectAsync(_broker.Port, MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "gauge-shared"))
        {
            for (var i = 0; i < Readings; i++) await gauge.PublishAsync("bousai/v1/stations/station-nakahashi/water_level", Level(start.AddSeconds(i), 1.5));
        }

        await Eventually.TrueAsync(async () => await StoredAsync() == Readings, $"{Readings} readings");
        var perInstance = new List<double>();
        foreach (var server in new[] { a, b })
        {
            using var http = new HttpClient { BaseAddress = server.Address };
            var metrics = await http.GetStringAsync("/metrics");
            var line = metrics.Split('\n').Single(l => l.StartsWith("bousai_ingest_messages_total "));
            perInstance.Add(double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
        }

        Assert.Equal(Readings, perInstance.Sum());
        Assert.All(perInstance, count => Assert.True(count > 0, $"an instance ingested nothing: {string.Join(" / ", perInstance)}"));
    }
}
