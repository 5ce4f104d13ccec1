using System.Text;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Bousai.SensorsSim;

/// <summary>
/// One MQTT connection that publishes readings at QoS 1 in a persistent session and reconnects with backoff when the
/// broker goes away. Several publishes may be in flight at once (load mode keeps many): each awaits its own PUBACK.
/// </summary>
public sealed class ReadingPublisher(BrokerAddress broker, string clientId) : IAsyncDisposable
{
    private static readonly TimeSpan OutageReportInterval = TimeSpan.FromSeconds(1);
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private long _lastOutageReportTicks;

    public string ClientId => clientId;

    /// <summary>How many unacknowledged QoS 1 publishes the broker accepts on this connection (its Receive Maximum).</summary>
    public int ReceiveMaximum { get; private set; } = ushort.MaxValue;

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

        // 0 means the broker did not say, which in MQTT 5 means 65,535.
        ReceiveMaximum = result.ReceiveMaximum is > 0 and var most ? most : ushort.MaxValue;
    }

    public Task PublishAsync(ReadingMessage message, CancellationToken cancellationToken) =>
        PublishAsync(message.Topic, Encoding.UTF8.GetBytes(message.Payload), cancellationToken);

    /// <summary>Publishes and waits for the broker's PUBACK; on a dropped connection, reconnects (1 s, 2 s, … 30 s) and retries.</summary>
    public async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var applicationMessage = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2)))
        {
            try
            {
                if (!_client.IsConnected) await ReconnectAsync(cancellationToken);
                var result = await _client.PublishAsync(applicationMessage, cancellationToken);
                if (!result.IsSuccess)
                {
                    throw new BrokerRefusedException($"{broker} refused {topic}: {result.ReasonCode} {result.ReasonString}");
                }

                return;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                ReportOutage(e, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A dropped or unreachable broker, or a reconnect that raced with the client still closing the dropped connection
    /// (MQTTnet: "not allowed to connect while connect/disconnect is pending"). A refused sign-in is not transient.
    /// </summary>
    private bool IsTransient(Exception e) =>
        e is MqttCommunicationException or OperationCanceledException || e is InvalidOperationException && !_client.IsConnected;

    /// <summary>One caller reconnects; the others in flight wait for it and find the client connected.</summary>
    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (!_client.IsConnected) await ConnectAsync(cancellationToken);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>At most one line a second per connection, however many publishes were in flight when the broker went.</summary>
    private void ReportOutage(Exception e, TimeSpan delay)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastOutageReportTicks);
        if (now - last < OutageReportInterval.TotalMilliseconds || Interlocked.CompareExchange(ref _lastOutageReportTicks, now, last) != last) return;
        Console.Error.WriteLine($"broker {broker} unreachable from {clientId} ({e.Message}); retrying in {delay.TotalSeconds:0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
        _connecting.Dispose();
    }
}

public sealed class BrokerRefusedException(string message) : Exception(message);
