using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Bousai.Server.Sensors;

/// <summary>
/// Subscribes to the gauges' topics at QoS 1 with a persistent session, and acknowledges each message only after its
/// batch is committed: a message received but not committed (the process killed, the database down) is redelivered
/// by the broker, and stored once because readings are keyed by station, quantity and observation time. On an
/// external broker with Mqtt:SharedGroup set, instances share the subscription (MQTT 5 shared subscriptions) and so
/// split the stream.
/// </summary>
public sealed class ReadingIngester(
    IOptions<MqttOptions> options,
    ReadingStore store,
    TimeProvider time,
    ILogger<ReadingIngester> logger) : BackgroundService
{
    private readonly MqttOptions _options = options.Value;
    private readonly Channel<Delivery> _received = Channel.CreateBounded<Delivery>(
        new BoundedChannelOptions(options.Value.ReceiveMaximum) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private sealed record Delivery(MqttApplicationMessageReceivedEventArgs Args, ReceivedMessage Message);

    /// <summary>True while subscribed to the broker.</summary>
    public bool IsConnected { get; private set; }

    public string Subscription => _options.Embedded || string.IsNullOrWhiteSpace(_options.SharedGroup)
        ? SensorMessages.TopicFilter
        : $"$share/{_options.SharedGroup}/{SensorMessages.TopicFilter}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writing = Task.Run(() => WriteBatchesAsync(stoppingToken), stoppingToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            var message = new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), time.GetUtcNow());
            await _received.Writer.WriteAsync(new Delivery(e, message), stoppingToken);
        };
        client.DisconnectedAsync += e =>
        {
            if (IsConnected) logger.LogWarning("MQTT broker {Broker} disconnected ({Reason}); reconnecting", _options.Address, e.Reason);
            IsConnected = false;
            return Task.CompletedTask;
        };

        var retryDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await ConnectAsync(client, stoppingToken);
                    retryDelay = TimeSpan.FromSeconds(1);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Cannot reach the MQTT broker {Broker}: {Error}; retrying in {RetryDelay}", _options.Address, ex.Message, retryDelay);
                    await Task.Delay(retryDelay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                    continue;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (client.IsConnected)
        {
            IsConnected = false; // our own disconnect: nothing to warn about
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None);
        }

        _received.Writer.TryComplete();
        await writing;
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken ct)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_options.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)TimeSpan.FromDays(7).TotalSeconds)
            .WithReceiveMaximum(_options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(_options.Username)) builder.WithCredentials(_options.Username, _options.Password);
        if (_options.UseTls) builder.WithTlsOptions(tls => tls.UseTls());

        var options = builder.Build();
        // MQTTnet's default 8 KB socket buffer becomes the TCP receive window: while a batch commits, the window closes
        // and a backlog (a broker restart, gauges uploading after an outage) then drains at a few hundred messages a
        // second (measured in bench ingest). 4 MiB keeps the broker sending while the database works.
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = 4 * 1024 * 1024;
        var result = await client.ConnectAsync(options, ct);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(Subscription).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build(), ct);
        var code = subscribed.Items.Single().ResultCode;
        if (code != MqttClientSubscribeResultCode.GrantedQoS1)
        {
            await client.DisconnectAsync(cancellationToken: ct);
            throw new InvalidOperationException($"the broker did not grant QoS 1 on {Subscription}: {code}");
        }

        IsConnected = true;
        logger.LogInformation("Ingesting gauge readings from {Broker} as {ClientId} ({Subscription}, session present: {SessionPresent})",
            _options.Address, _options.ClientId, Subscription, result.IsSessionPresent);
    }

    /// <summary>
    /// Commits messages, retrying while the database is unreachable. A batch that fails for any other reason is split,
    /// so one message the pipeline cannot handle becomes a dead letter and the others are stored. False: stopping
    /// before the commit (nothing may be acknowledged; the broker redelivers after the restart).
    /// </summary>
    private async Task<bool> CommitAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await store.WriteAsync(messages, CancellationToken.None);
                return true;
            }
            catch (Exception ex) when (ex is TimeoutException or Npgsql.NpgsqlException { IsTransient: true } or Npgsql.NpgsqlException and not Npgsql.PostgresException)
            {
                logger.LogWarning(ex, "Could not commit {Count} gauge messages; retrying in {RetryDelay}", messages.Count, retryDelay);
                if (stoppingToken.IsCancellationRequested) return false;
                await Task.Delay(retryDelay, time, CancellationToken.None);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (Exception ex) when (messages.Count > 1)
            {
                logger.LogError(ex, "A batch of {Count} gauge messages failed; committing them one by one", messages.Count);
                foreach (var message in messages)
                {
                    if (!await CommitAsync([message], stoppingToken)) return false;
                }

                return true;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Gauge message on {Topic} could not be processed; recording it as a dead letter", messages[0].Topic);
                await store.RecordUnprocessableAsync(messages[0], ex.Message, CancellationToken.None);
                return true;
            }
        }
    }

    /// <summary>Takes what has arrived (up to MaxBatch), commits it, then acknowledges it in the order it arrived.</summary>
    private async Task WriteBatchesAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Delivery>(_options.MaxBatch);
        var reader = _received.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var delivery)) batch.Add(delivery);

            if (!await CommitAsync(batch.Select(d => d.Message).ToList(), stoppingToken)) return;

            foreach (var delivery in batch)
            {
                try
                {
                    await delivery.Args.AcknowledgeAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or ObjectDisposedException)
                {
                    // The connection it came on is gone: the broker redelivers it, and the key makes that a duplicate.
                    logger.LogDebug("Acknowledgement lost with its connection: {Error}", ex.Message);
                }
            }
        }
    }
}
