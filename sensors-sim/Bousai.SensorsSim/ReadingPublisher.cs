using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Bousai.SensorsSim;

/// <summary>Publishes readings at QoS 1 and reconnects with backoff when the broker goes away.</summary>
public sealed class ReadingPublisher(BrokerAddress broker, string clientId) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600);
        if (broker.UserName is not null) options = options.WithCredentials(broker.UserName, broker.Password);
        if (broker.UseTls) options = options.WithTlsOptions(tls => tls.UseTls());
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(options.Build(), cancellationToken);
        }
        catch (MqttConnectingFailedException e)
        {
            throw new BrokerRefusedException($"{broker} refused the connection: {e.Message}");
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new BrokerRefusedException($"{broker} refused the connection: {result.ResultCode} {result.ReasonString}");
        }
    }

    /// <summary>Publishes and waits for the broker's PUBACK; on a dropped connection, reconnects (1 s, 2 s, … 30 s) and retries.</summary>
    public async Task PublishAsync(ReadingMessage message, CancellationToken cancellationToken)
    {
        var applicationMessage = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2)))
        {
            try
            {
                if (!_client.IsConnected) await ConnectAsync(cancellationToken);
                var result = await _client.PublishAsync(applicationMessage, cancellationToken);
                if (!result.IsSuccess)
                {
                    throw new BrokerRefusedException($"{broker} refused {message.Topic}: {result.ReasonCode} {result.ReasonString}");
                }

                return;
            }
            catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine($"broker {broker} unreachable ({e.Message}); retrying in {delay.TotalSeconds:0} s");
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}

public sealed class BrokerRefusedException(string message) : Exception(message);
