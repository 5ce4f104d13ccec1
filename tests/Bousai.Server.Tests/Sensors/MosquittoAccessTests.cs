using System.Collections.Concurrent;
using Bousai.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Bousai.Server.Tests.Sensors;

/// <summary>mosquitto with the shipped deploy/mosquitto/acl: the same access rules as the embedded broker.</summary>
public sealed class MosquittoAccessTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    private const string Nakahashi = "bousai/v1/stations/station-nakahashi/water_level";

    private async Task<IMqttClient> ClientAsync(string user, string password, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId(clientId)
            .WithProtocolVersion(version).WithCredentials(user, password).WithTimeout(TimeSpan.FromSeconds(10)).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    /// <summary>Ingestion's view: subscribed to the gauges' topics as the ingest user, noting every topic that arrives.</summary>
    private async Task<(IMqttClient Client, ConcurrentQueue<string> Topics)> IngestionAsync(string clientId)
    {
        var client = await ClientAsync(MosquittoBroker.IngestUser, MosquittoBroker.IngestPassword, clientId);
        var topics = new ConcurrentQueue<string>();
        client.ApplicationMessageReceivedAsync += e => { topics.Enqueue(e.ApplicationMessage.Topic); return Task.CompletedTask; };
        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("bousai/v1/stations/+/+", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, subscribed.Items.Single().ResultCode);
        return (client, topics);
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, bool retain = false) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("""{"observedAt":"2026-08-03T19:10:00+09:00","value":1.0,"unit":"m"}""")
            .WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>A marker from the shared gauge arrives at ingestion: anything published before it has been delivered too.</summary>
    private async Task MarkerArrivesAsync(ConcurrentQueue<string> topics)
    {
        using var gauge = await ClientAsync(MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "marker-" + Guid.NewGuid().ToString("N")[..6]);
        var marker = $"bousai/v1/stations/marker-{Guid.NewGuid():N}/water_level";
        Assert.True((await PublishAsync(gauge, marker)).IsSuccess);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!topics.Contains(marker))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the marker never reached ingestion");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task The_ingest_user_receives_what_gauges_publish()
    {
        var (ingest, topics) = await IngestionAsync("ingest-receives");
        using var _ = ingest;
        using var gauge = await ClientAsync(MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "gauge-receives");

        Assert.True((await PublishAsync(gauge, Nakahashi)).IsSuccess);

        await MarkerArrivesAsync(topics);
        Assert.Contains(Nakahashi, topics);
    }

    [Fact]
    public async Task The_gauge_user_subscribing_to_everything_receives_nothing()
    {
        using var gauge = await ClientAsync(MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "nosy-gauge");
        var received = 0;
        gauge.ApplicationMessageReceivedAsync += _ => { Interlocked.Increment(ref received); return Task.CompletedTask; };
        var (ingest, topics) = await IngestionAsync("ingest-nosy");
        using var _ = ingest;

        // mosquitto 2.0 acknowledges a subscription its acl denies, and then delivers nothing on it.
        await gauge.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("#").WithTopicFilter("bousai/v1/stations/+/+").Build());

        await MarkerArrivesAsync(topics);
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Gauges_cannot_publish_to_foreign_topics_and_ingestion_sees_nothing_of_them()
    {
        var (ingest, topics) = await IngestionAsync("ingest-foreign");
        using var _ = ingest;
        using var shared = await ClientAsync(MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "foreign-gauge");
        using var station = await ClientAsync(MosquittoBroker.StationUser, MosquittoBroker.StationPassword, "nakahashi-logger");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await PublishAsync(shared, "bousai/v1/other")).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await PublishAsync(station, "bousai/v1/stations/station-nukanome/water_level")).ReasonCode);
        using var ingestPublisher = await ClientAsync(MosquittoBroker.IngestUser, MosquittoBroker.IngestPassword, "ingest-publishing");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await PublishAsync(ingestPublisher, "bousai/v1/stations/station-nukanome/rainfall")).ReasonCode);
        using var again = await ClientAsync(MosquittoBroker.StationUser, MosquittoBroker.StationPassword, "nakahashi-logger-2");
        var own = await PublishAsync(again, Nakahashi);

        Assert.True(own.IsSuccess, own.ReasonCode.ToString());
        await MarkerArrivesAsync(topics);
        Assert.DoesNotContain(topics, t => t.StartsWith("bousai/v1/stations/station-nukanome/", StringComparison.Ordinal));
        Assert.Contains(Nakahashi, topics);
    }

    [Fact]
    public async Task A_retained_message_is_refused_and_not_kept_for_later_subscribers()
    {
        // MQTT 3.1.1: no CONNACK property tells the client library that retain is unavailable, so the broker must refuse it.
        using (var gauge = await ClientAsync(MosquittoBroker.GaugeUser, MosquittoBroker.GaugePassword, "retaining-gauge", MqttProtocolVersion.V311))
        {
            var refused = await Record.ExceptionAsync(() => PublishAsync(gauge, "bousai/v1/stations/station-retained/water_level", retain: true));
            // retain_available false: mosquitto disconnects the client instead of storing the message.
            Assert.True(refused is not null || !gauge.IsConnected, "the retained publish was accepted");
        }

        var (ingest, topics) = await IngestionAsync("ingest-retained");
        using var _ = ingest;
        await MarkerArrivesAsync(topics);
        Assert.DoesNotContain("bousai/v1/stations/station-retained/water_level", topics);
    }
}
