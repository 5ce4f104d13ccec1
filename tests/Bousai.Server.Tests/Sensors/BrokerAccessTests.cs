using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bousai.Server.Sensors;
using Bousai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Bousai.Server.Tests.Sensors;

/// <summary>The embedded broker gives each party only what it needs: ingestion subscribes, gauges publish their own topics.</summary>
public sealed class BrokerAccessTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    private const byte NotAuthorized = 0x87;
    private const byte TopicNameInvalid = 0x90;

    private static string Level(DateTimeOffset t, double metres) =>
        $$"""{"observedAt":"{{t.ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd'T'HH:mm:ss.fffzzz}}","value":{{metres.ToString(CultureInfo.InvariantCulture)}},"unit":"m"}""";

    private async Task<IMqttClient> ClientAsync(string? user, string? password, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        await IngestionSubscribedAsync();
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", app.MqttPort).WithClientId(clientId)
            .WithProtocolVersion(version).WithTimeout(TimeSpan.FromSeconds(10));
        if (user is not null) options.WithCredentials(user, password);
        var result = await client.ConnectAsync(options.Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private Task IngestionSubscribedAsync() =>
        Eventually.TrueAsync(() => Task.FromResult(app.Services.GetRequiredService<ReadingIngester>().IsConnected), "ingestion to subscribe");

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload, bool retain = false) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    private Task<long> CountAsync(string sql) => app.Database.ScalarAsync<long>(sql);

    /// <summary>Publishes a good reading as the shared gauge and waits until it is stored: whatever was relayed before it has been ingested too.</summary>
    private async Task MarkerStoredAsync(string station = "station-nukanome")
    {
        var observed = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds());
        await using var gauge = await app.GaugeAsync();
        await gauge.PublishAsync($"bousai/v1/stations/{station}/water_level", Level(observed, 1.23));
        await Eventually.TrueAsync(async () => await CountAsync(
            $"SELECT count(*) FROM readings WHERE station_id = '{station}' AND observed_at = '{observed:O}'") == 1, "the marker reading");
    }

    [Fact]
    public async Task A_gauge_may_subscribe_to_nothing_and_receives_nothing()
    {
        using var gauge = await ClientAsync(BousaiApp.SensorUser, BousaiApp.SensorPassword, "nosy-gauge");
        var received = 0;
        gauge.ApplicationMessageReceivedAsync += _ => { Interlocked.Increment(ref received); return Task.CompletedTask; };

        var subscribed = await gauge.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("#").WithTopicFilter("bousai/v1/stations/+/+").WithTopicFilter("bousai/v1/stations/station-nakahashi/water_level").Build());

        Assert.All(subscribed.Items, item => Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, item.ResultCode));
        await MarkerStoredAsync();
        await MarkerStoredAsync("station-nakahashi");
        Assert.Equal(0, received);
    }

    public static TheoryData<string, string> ForeignTopics => new()
    {
        { "outside the contract", "bousai/v1/other" },
        { "the broker's own", "$SYS/broker/uptime" },
        { "an unknown quantity", "bousai/v1/stations/station-nakahashi/temperature" },
        { "a station id outside the contract", "bousai/v1/stations/station nakahashi!/water_level" },
        { "an extra level", "bousai/v1/stations/station-nakahashi/water_level/x" },
        { "a trailing newline", "bousai/v1/stations/station-nakahashi/water_level\n" },
    };

    [Theory]
    [MemberData(nameof(ForeignTopics))]
    public async Task A_gauge_publish_to_a_foreign_topic_is_refused_and_relayed_to_nobody(string what, string topic)
    {
        _ = what;
        var deadLetters = await CountAsync("SELECT count(*) FROM dead_letters");
        using var gauge = await ClientAsync(BousaiApp.SensorUser, BousaiApp.SensorPassword, "foreign-gauge");

        var result = await PublishAsync(gauge, topic, Level(DateTimeOffset.UtcNow.AddMinutes(-1), 1.0));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        await MarkerStoredAsync();
        Assert.Equal(deadLetters, await CountAsync("SELECT count(*) FROM dead_letters"));
    }

    public static TheoryData<string, byte[]> InvalidTopicNames => new()
    {
        { "empty", [] },
        { "a + wildcard", "bousai/v1/stations/+/water_level"u8.ToArray() },
        { "a # wildcard", "bousai/v1/stations/#"u8.ToArray() },
        { "a NUL byte", "bousai/v1/stations/sta\0tion/water_level"u8.ToArray() },
        { "2,000 levels", Encoding.ASCII.GetBytes("bousai/v1/stations/" + string.Concat(Enumerable.Repeat("a/", 1_997)) + "water_level") },
        { "65,000 bytes", Encoding.ASCII.GetBytes("bousai/v1/stations/" + new string('a', 65_000 - 31) + "/water_level") },
    };

    [Theory]
    [MemberData(nameof(InvalidTopicNames))]
    public async Task A_topic_name_MQTT_forbids_or_the_contract_cannot_hold_is_refused_by_the_broker(string what, byte[] topic)
    {
        _ = what;
        var before = await CountAsync("SELECT (SELECT count(*) FROM dead_letters) + (SELECT count(*) FROM readings)");
        using var raw = await RawMqttConnection.OpenAsync(app.MqttPort);
        Assert.Equal(0, await raw.ConnectAsync("raw-gauge", BousaiApp.SensorUser, BousaiApp.SensorPassword));

        var reason = await raw.PublishAsync(topic, Level(DateTimeOffset.UtcNow.AddMinutes(-1), 1.0));

        // Refused with a reason code, or (a packet MQTTnet itself cannot decode) by closing the connection.
        Assert.True(reason is null or NotAuthorized or TopicNameInvalid, $"PUBACK reason 0x{reason:x2}");
        await MarkerStoredAsync();
        Assert.Equal(before + 1, await CountAsync("SELECT (SELECT count(*) FROM dead_letters) + (SELECT count(*) FROM readings)"));
    }

    [Fact]
    public async Task A_retained_reading_is_refused_neither_stored_nor_kept()
    {
        var observed = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds());
        using var gauge = await ClientAsync(BousaiApp.SensorUser, BousaiApp.SensorPassword, "retaining-gauge");

        var result = await PublishAsync(gauge, "bousai/v1/stations/station-wada-natsumo/water_level", Level(observed, 2.22), retain: true);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        await MarkerStoredAsync();
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM readings WHERE station_id = 'station-wada-natsumo' AND observed_at = '{observed:O}'"));
    }

    [Fact]
    public async Task A_station_credential_publishes_its_own_station_only()
    {
        var observed = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeMilliseconds());
        using var gauge = await ClientAsync(BousaiApp.StationGaugeUser, BousaiApp.StationGaugePassword, "nakahashi-logger");

        var own = await PublishAsync(gauge, $"bousai/v1/stations/{BousaiApp.StationGaugeStation}/water_level", Level(observed, 3.33));
        var other = await PublishAsync(gauge, "bousai/v1/stations/station-nukanome/water_level", Level(observed, 3.33));
        var subscribed = await gauge.SubscribeAsync("bousai/v1/stations/+/+");

        Assert.True(own.IsSuccess, own.ReasonCode.ToString());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, other.ReasonCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, subscribed.Items.Single().ResultCode);
        await Eventually.TrueAsync(async () => await CountAsync(
            $"SELECT count(*) FROM readings WHERE station_id = '{BousaiApp.StationGaugeStation}' AND observed_at = '{observed:O}'") == 1, "its own reading");
        await MarkerStoredAsync();
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM readings WHERE station_id = 'station-nukanome' AND observed_at = '{observed:O}'"));
    }

    [Fact]
    public async Task No_other_credential_may_take_the_ingester_client_id_and_ingestion_keeps_its_session()
    {
        await MarkerStoredAsync();
        foreach (var (user, password) in new[] { (BousaiApp.SensorUser, BousaiApp.SensorPassword), (BousaiApp.StationGaugeUser, BousaiApp.StationGaugePassword) })
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => GaugePublisherConnect(user, password, app.IngestClientId));
            Assert.Contains("NotAuthorized", refused.Message + refused.InnerException?.Message);
        }

        // Ingestion's credential is for ingestion's own session only.
        var elsewhere = await Assert.ThrowsAnyAsync<Exception>(() => GaugePublisherConnect(BousaiApp.IngestUser, BousaiApp.IngestPassword, "not-the-ingester"));
        Assert.Contains("ClientIdentifierNotValid", elsewhere.Message + elsewhere.InnerException?.Message);

        Assert.True(app.Services.GetRequiredService<ReadingIngester>().IsConnected);
        await MarkerStoredAsync();
    }

    private Task<Bousai.Testing.GaugePublisher> GaugePublisherConnect(string user, string password, string clientId) =>
        Bousai.Testing.GaugePublisher.ConnectAsync(app.MqttPort, user, password, clientId);

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_gauge_with_an_empty_client_id_is_assigned_one(MqttProtocolVersion version)
    {
        var observed = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(version == MqttProtocolVersion.V500 ? -4 : -5).ToUnixTimeMilliseconds());
        using var gauge = await ClientAsync(BousaiApp.SensorUser, BousaiApp.SensorPassword, "", version);

        var result = await PublishAsync(gauge, "bousai/v1/stations/station-nukanome/water_level", Level(observed, 0.44));

        Assert.True(result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers, result.ReasonCode.ToString());
        await Eventually.TrueAsync(async () => await CountAsync(
            $"SELECT count(*) FROM readings WHERE station_id = 'station-nukanome' AND observed_at = '{observed:O}'") == 1, "the reading");
    }

    [Fact]
    public async Task Mosquitto_pub_with_its_default_empty_client_id_publishes_a_reading()
    {
        if (!File.Exists("/usr/bin/mosquitto_pub")) throw new InvalidOperationException("mosquitto_pub is needed (apt package mosquitto-clients)");
        await IngestionSubscribedAsync();
        var observed = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeMilliseconds());

        // MQTT 5: mosquitto_pub sends an empty client id unless given -i.
        using var pub = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_pub",
            ["-h", "127.0.0.1", "-p", app.MqttPort.ToString(), "-V", "5", "-q", "1", "-u", BousaiApp.SensorUser, "-P", BousaiApp.SensorPassword,
             "-t", "bousai/v1/stations/station-nukanome/water_level", "-m", Level(observed, 0.55)]) { RedirectStandardError = true })!;
        await pub.WaitForExitAsync();

        Assert.True(pub.ExitCode == 0, await pub.StandardError.ReadToEndAsync());
        await Eventually.TrueAsync(async () => await CountAsync(
            $"SELECT count(*) FROM readings WHERE station_id = 'station-nukanome' AND observed_at = '{observed:O}'") == 1, "the reading");
    }

    [Fact]
    public async Task A_packet_above_the_limit_closes_the_connection_before_the_broker_buffers_it()
    {
        using var raw = await RawMqttConnection.OpenAsync(app.MqttPort);
        Assert.Equal(0, await raw.ConnectAsync("huge-gauge", BousaiApp.SensorUser, BousaiApp.SensorPassword));
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        // A PUBLISH declaring 200 MB, then its body 64 KiB at a time, for as long as the broker reads it.
        const long Declared = 200_000_000;
        Assert.True(await raw.TryWriteAsync([0x30, .. RawMqttConnection.VariableLength(Declared)]));
        var chunk = new byte[64 * 1024];
        long sent = 0;
        while (sent < Declared && await raw.TryWriteAsync(chunk)) sent += chunk.Length;

        Assert.True(sent < 32 * 1024 * 1024, $"the broker read {sent} bytes of a {Declared}-byte packet");
        Assert.True(await raw.ClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
        var grown = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(grown < 50 * 1024 * 1024, $"managed memory grew by {grown} bytes");
        await MarkerStoredAsync();
    }

    [Fact]
    public async Task A_connection_that_never_sends_CONNECT_is_closed_after_the_connect_timeout()
    {
        using var idle = await RawMqttConnection.OpenAsync(app.MqttPort);
        var clock = Stopwatch.StartNew();

        Assert.True(await idle.ClosedByBrokerAsync(TimeSpan.FromSeconds(15)), "still open after 15 s");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15));
    }
}

/// <summary>Failed sign-ins from one address are answered ever more slowly (its own server: the count is per broker).</summary>
public sealed class BrokerSignInThrottleTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    [Fact]
    public async Task Repeated_wrong_passwords_from_one_address_wait_longer_each_time()
    {
        var waits = new List<TimeSpan>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
                Bousai.Testing.GaugePublisher.ConnectAsync(app.MqttPort, BousaiApp.SensorUser, "guess-" + attempt, "guesser-" + attempt));
            waits.Add(clock.Elapsed);
            Assert.Contains("BadUserNameOrPassword", refused.Message + refused.InnerException?.Message);
        }

        // 0.25 s, 0.5 s, 1 s, 2 s.
        Assert.True(waits[0] < TimeSpan.FromSeconds(1.5), $"first refusal after {waits[0]}");
        Assert.True(waits[3] >= TimeSpan.FromSeconds(1.8), $"fourth refusal after {waits[3]}");
        Assert.True(waits[3] > waits[1], string.Join(", ", waits));

        await using var gauge = await app.GaugeAsync(); // the right password still signs in
    }
}
