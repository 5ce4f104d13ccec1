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
/// Nothing a message contains can stop it: every message becomes readings or a dead letter with a reason, and a
/// failure the database gives for reasons of its own (an outage, a revoked privilege, a full disk) is retried with
/// nothing acknowledged, while readiness reports ingestion stuck. If the connection's loops end all the same, they are
/// restarted on a new connection (<see cref="SupervisedLoop"/>), so the broker redelivers what was not acknowledged.
/// </summary>
public sealed class ReadingIngester(
    IOptions<MqttOptions> options,
    ReadingStore store,
    TimeProvider time,
    ILogger<ReadingIngester> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private readonly MqttOptions _options = options.Value;
    private readonly IngestionProgress _progress = new(time);
    private volatile bool _subscribed;

    private sealed record Delivery(MqttApplicationMessageReceivedEventArgs Args, ReceivedMessage Message);

    /// <summary>True while subscribed to the broker.</summary>
    public bool IsConnected
    {
        get => _subscribed;
        private set => _subscribed = value;
    }

    /// <summary>Subscribed or not, stuck or not, and how long the oldest unacknowledged message has waited.</summary>
    public IngestionStatus Status => _progress.Status(IsConnected, _options.StuckAfter);

    public string Subscription => _options.Embedded || string.IsNullOrWhiteSpace(_options.SharedGroup)
        ? SensorMessages.TopicFilter
        : $"$share/{_options.SharedGroup}/{SensorMessages.TopicFilter}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var published = _progress.Publish();
        await SupervisedLoop.RunAsync("ingestion", RunConnectionAsync, logger, time, stoppingToken);
    }

    /// <summary>
    /// One MQTT client and its two loops: keeping it connected, and committing then acknowledging what it receives.
    /// Returns when stopping; if either loop ends before that, both end and the supervisor starts a new client, whose new
    /// connection makes the broker redeliver every message this one received and did not acknowledge.
    /// </summary>
    private async Task RunConnectionAsync(CancellationToken stoppingToken)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var received = Channel.CreateBounded<Delivery>(
            new BoundedChannelOptions(_options.ReceiveMaximum) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _progress.Reset();
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            var message = new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), time.GetUtcNow());
            _progress.Received();
            await received.Writer.WriteAsync(new Delivery(e, message), connection.Token);
        };
        client.DisconnectedAsync += e =>
        {
            if (IsConnected) logger.LogWarning("MQTT broker {Broker} disconnected ({Reason}); reconnecting", _options.Address, e.Reason);
            IsConnected = false;
            return Task.CompletedTask;
        };

        var writing = Task.Run(() => WriteBatchesAsync(received.Reader, connection.Token), CancellationToken.None);
        var connecting = Task.Run(() => KeepConnectedAsync(client, connection.Token), CancellationToken.None);
        await Task.WhenAny(writing, connecting);
        connection.Cancel();
        if (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what has arrived is committed (and acknowledged) before the client disconnects.
            received.Writer.TryComplete();
            await Task.WhenAll(writing, connecting);
        }

        IsConnected = false;
        if (client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                    timeout.Token);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                logger.LogDebug("Disconnecting from {Broker} failed: {Error}", _options.Address, ex.Message);
            }
        }

        received.Writer.TryComplete();
        await Task.WhenAll(writing, connecting); // rethrows what ended a loop, for the supervisor to log
    }

    private async Task KeepConnectedAsync(IMqttClient client, CancellationToken ct)
    {
        var retryDelay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await ConnectAsync(client, ct);
                    retryDelay = TimeSpan.FromSeconds(1);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning("Cannot reach the MQTT broker {Broker}: {Error}; retrying in {RetryDelay}", _options.Address, ex.Message, retryDelay);
                    await Task.Delay(retryDelay, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
                    retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                    continue;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
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
    /// Commits messages. A batch the database refuses for reasons of its own (unreachable, a privilege revoked, disk
    /// full: <see cref="IsDatabaseFault"/>) is retried with backoff, nothing acknowledged meanwhile, and readiness reports
    /// ingestion stuck once that lasts Mqtt:StuckAfter. A batch that fails for any other reason is split, so one message
    /// the pipeline cannot handle becomes a dead letter and the others are stored; if even its dead letter cannot be
    /// written, that too is retried rather than acknowledged. False: the connection ended before the commit (nothing may
    /// be acknowledged; the broker redelivers on the next connection).
    /// </summary>
    private async Task<bool> CommitAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken ct)
    {
        var retryDelay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await store.WriteAsync(messages, CancellationToken.None);
                _progress.Committed();
                return true;
            }
            catch (Exception ex) when (IsDatabaseFault(ex))
            {
                logger.LogWarning(ex, "Could not commit {Count} gauge messages ({SqlState}); retrying in {RetryDelay}, nothing acknowledged",
                    messages.Count, (ex as Npgsql.PostgresException)?.SqlState, retryDelay);
            }
            catch (Exception ex) when (messages.Count > 1)
            {
                logger.LogError(ex, "A batch of {Count} gauge messages failed; committing them one by one", messages.Count);
                foreach (var message in messages)
                {
                    if (!await CommitAsync([message], ct)) return false;
                }

                return true;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Gauge message on {Topic} could not be processed; recording it as a dead letter",
                    DeadLetterText.Safe(messages[0].Topic, DeadLetterText.MaxTopicChars));
                try
                {
                    await store.RecordUnprocessableAsync(messages[0], ex.Message, CancellationToken.None);
                    _progress.Committed();
                    return true;
                }
                catch (Exception deadLetter)
                {
                    logger.LogError(deadLetter, "The dead letter for the gauge message on {Topic} could not be written either; retrying in {RetryDelay}, nothing acknowledged",
                        DeadLetterText.Safe(messages[0].Topic, DeadLetterText.MaxTopicChars), retryDelay);
                }
            }

            try
            {
                await Task.Delay(retryDelay, time, ct);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>
    /// A failure that says nothing about the messages: the database unreachable or overloaded (Npgsql's transient
    /// errors), or refusing every write for now: SQLSTATE classes 08 connection, 28 authorization, 3D catalog,
    /// 42 access rule (a privilege revoked, a table missing), 53 resources (disk full), 55 object state, 57 operator
    /// intervention, 58 system. Splitting the batch would only turn good readings into dead letters.
    /// </summary>
    public static bool IsDatabaseFault(Exception ex) => ex switch
    {
        TimeoutException => true,
        Npgsql.PostgresException p => p.IsTransient || p.SqlState[..2] is "08" or "28" or "3D" or "42" or "53" or "55" or "57" or "58",
        Npgsql.NpgsqlException => true,
        _ => false,
    };

    /// <summary>Takes what has arrived (up to MaxBatch), commits it, then acknowledges it in the order it arrived.</summary>
    private async Task WriteBatchesAsync(ChannelReader<Delivery> reader, CancellationToken ct)
    {
        var batch = new List<Delivery>(_options.MaxBatch);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var delivery)) batch.Add(delivery);

            if (!await CommitAsync(batch.Select(d => d.Message).ToList(), ct)) return;

            foreach (var delivery in batch)
            {
                try
                {
                    await delivery.Args.AcknowledgeAsync(CancellationToken.None);
                }
                catch (Exception ex)
                {
                    // The connection it came on is gone: the broker redelivers it, and the key makes that a duplicate.
                    logger.LogDebug("Acknowledgement lost with its connection: {Error}", ex.Message);
                }
            }

            _progress.Acknowledged(batch.Count);
        }
    }
}
