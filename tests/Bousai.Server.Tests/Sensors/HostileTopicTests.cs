using System.Globalization;
using Bousai.Server.Tests.Support;
using Bousai.Testing;

namespace Bousai.Server.Tests.Sensors;

/// <summary>
/// A gauge publishing a topic with a NUL byte at QoS 1, then a good reading: the bad message is refused by the broker or
/// dead-lettered, never stored raw, and the good reading after it is stored, on the embedded broker and on mosquitto.
/// </summary>
public static class HostileTopic
{
    public const string NulTopic = "bousai/v1/stations/sta\u0000tion/water_level";

    public static string Level(DateTimeOffset t, double metres) =>
        $$"""{"observedAt":"{{t.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""";

    /// <summary>Publishes the NUL topic on a connection of its own (a broker may drop it for that) and then a good reading on a fresh one.</summary>
    public static async Task PublishNulThenGoodAsync(Func<string, Task<GaugePublisher>> connect, string goodStation, DateTimeOffset marker)
    {
        await using (var hostile = await connect("hostile-gauge"))
        {
            try
            {
                await hostile.PublishAsync(NulTopic, Level(marker.AddMinutes(-1), 1.0));
            }
            catch (Exception e) when (e is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                // Refused by the broker (not authorized, or a malformed packet that closes the connection): also acceptable.
            }
        }

        await using var gauge = await connect("good-gauge");
        await gauge.PublishAsync($"bousai/v1/stations/{goodStation}/water_level", Level(marker, 1.23));
    }

    public static async Task AssertGoodStoredAndNothingRawAsync(TestDatabase database, string goodStation, DateTimeOffset marker, long readingsBefore)
    {
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(
            $"SELECT count(*) FROM readings WHERE station_id = '{goodStation}' AND observed_at = '{marker:O}'") == 1, "the good reading after the NUL topic", 60);
        Assert.Equal(readingsBefore + 1, await database.ScalarAsync<long>("SELECT count(*) FROM readings"));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM readings WHERE station_id LIKE 'sta%tion'"));
        var deadLetters = await database.ScalarAsync<long>("SELECT count(*) FROM dead_letters WHERE topic LIKE 'bousai/v1/stations/sta%tion/water_level'");
        if (deadLetters > 0)
        {
            Assert.Equal("bad_topic", await database.ScalarAsync<string>(
                "SELECT reason FROM dead_letters WHERE topic LIKE 'bousai/v1/stations/sta%tion/water_level' LIMIT 1"));
        }
    }
}

public sealed class HostileTopicEmbeddedBrokerTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    [Fact]
    public async Task A_NUL_topic_is_refused_or_dead_lettered_and_the_next_good_reading_is_stored()
    {
        var marker = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds());
        var before = await app.Database.ScalarAsync<long>("SELECT count(*) FROM readings");
        await (await app.GaugeAsync()).DisposeAsync(); // once ingestion has subscribed

        await HostileTopic.PublishNulThenGoodAsync(
            id => GaugePublisher.ConnectAsync(app.MqttPort, BousaiApp.SensorUser, BousaiApp.SensorPassword, id), "station-nakahashi", marker);

        await HostileTopic.AssertGoodStoredAndNothingRawAsync(app.Database, "station-nakahashi", marker, before);
    }
}

public sealed class HostileTopicMosquittoTests : IAsyncLifetime
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

    private Dictionary<string, string> Environment() => new()
    {
        ["ConnectionStrings__Bousai"] = _database.ConnectionString,
        ["Mqtt__Embedded"] = "false",
        ["Mqtt__Host"] = "127.0.0.1",
        ["Mqtt__Port"] = _broker.Port.ToString(),
        ["Mqtt__Username"] = MosquittoBroker.IngestUser,
        ["Mqtt__Password"] = MosquittoBroker.IngestPassword,
        ["Mqtt__ClientId"] = "bousai-ingest-hostile-test",
    };

    [Fact]
    public async Task A_NUL_topic_is_refused_or_dead_lettered_and_the_next_good_reading_is_stored()
    {
        var marker = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds());
        await using var server = await ServerProcess.StartAsync(Environment());
        var before = await _database.ScalarAsync<long>("SELECT count(*) FROM readings");

        await HostileTopic.PublishNulThenGoodAsync(
            id => GaugePublisher.ConnectAsync(_broker.Port, MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, id), "station-nakahashi", marker);

        await HostileTopic.AssertGoodStoredAndNothingRawAsync(_database, "station-nakahashi", marker, before);
    }
}
