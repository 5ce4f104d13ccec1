using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Prometheus;

namespace Bousai.Server.Sensors;

/// <summary>
/// The in-process MQTT broker (MQTTnet.Server) used when Mqtt:Embedded is true, so one process runs everything. It only
/// brokers: ingestion connects to it as an ordinary MQTT client, exactly as it connects to an external broker. Each
/// party gets only what it needs (BrokerAccess): ingestion subscribes with its own credential and client id; gauges
/// publish to their topics and nothing else. Packets above Mqtt:MaxPacketBytes end the connection (BrokerListener).
/// </summary>
public sealed class EmbeddedBroker(IOptions<MqttOptions> options, TimeProvider time, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private static readonly Counter Refusals = Metrics.CreateCounter("bousai_broker_refusals_total",
        "What the embedded MQTT broker refused: sign-ins, publishes, subscriptions, oversized packets.",
        new CounterConfiguration { LabelNames = ["action", "reason"] });

    private readonly SignInThrottle _throttle = new(time);
    private MqttServer? _server;

    /// <summary>A client id for a client that sent none (MQTT 3.1.1 with a clean session, and MQTT 5).</summary>
    public static string AssignClientId() => "auto-" + Guid.NewGuid().ToString("N");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Embedded) return;
        if (!settings.AllowAnonymous && (string.IsNullOrEmpty(settings.Username) || string.IsNullOrEmpty(settings.Password)))
        {
            throw new InvalidOperationException(
                "The embedded MQTT broker needs Mqtt:Username and Mqtt:Password (ingestion's own credential), or Mqtt:AllowAnonymous=true.");
        }

        if (string.IsNullOrEmpty(settings.Gauges.Username) && settings.StationCredentials.Count == 0 && !settings.AllowAnonymous)
        {
            logger.LogWarning("No gauge can sign in to the embedded MQTT broker: set Mqtt:Gauges:Username/Password or Mqtt:StationCredentials");
        }

        var serverOptions = new MqttServerOptionsBuilder()
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(100_000)
            // How long MQTTnet waits for CONNECT on a new connection (and for a CONNACK or DISCONNECT to be written).
            .WithDefaultCommunicationTimeout(settings.ConnectTimeout)
            .Build();
        var listener = new BrokerListener(settings, (endpoint, declared) =>
        {
            Refusals.WithLabels("packet", "too_large").Inc();
            logger.LogWarning("MQTT connection from {Endpoint} closed: a packet of {DeclaredBytes} bytes, the limit is {MaxPacketBytes}",
                endpoint, declared, settings.MaxPacketBytes);
        }, logger);
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [listener]);
        _server.ValidatingConnectionAsync += e => ValidateAsync(settings, e);
        _server.InterceptingPublishAsync += e =>
        {
            var grant = BrokerAccess.GrantOf(settings, e.UserName, e.ClientId);
            var verdict = grant is null ? PublishVerdict.NotAuthorized : BrokerAccess.MayPublish(grant, e.ApplicationMessage.Topic, e.ApplicationMessage.Retain);
            if (verdict == PublishVerdict.Allowed) return Task.CompletedTask;
            e.ProcessPublish = false;
            e.Response.ReasonCode = verdict == PublishVerdict.TopicNameInvalid ? MqttPubAckReasonCode.TopicNameInvalid : MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = verdict switch
            {
                PublishVerdict.TopicNameInvalid => "not a valid topic name",
                PublishVerdict.RetainRefused => "retained messages are refused",
                _ => "this client may not publish to this topic",
            };
            var reason = verdict == PublishVerdict.TopicNameInvalid ? "topic_name_invalid" : verdict == PublishVerdict.RetainRefused ? "retained" : "not_authorized";
            Refusals.WithLabels("publish", reason).Inc();
            logger.LogWarning("MQTT publish refused ({Reason}) from {ClientId} as {UserName} to {Topic}",
                reason, e.ClientId, e.UserName, Printable(e.ApplicationMessage.Topic));
            return Task.CompletedTask;
        };
        _server.InterceptingSubscriptionAsync += e =>
        {
            var grant = BrokerAccess.GrantOf(settings, e.UserName, e.ClientId);
            if (grant is not null && BrokerAccess.MaySubscribe(grant)) return Task.CompletedTask;
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ReasonString = "gauges may only publish";
            Refusals.WithLabels("subscribe", "not_authorized").Inc();
            logger.LogWarning("MQTT subscription refused from {ClientId} as {UserName} to {TopicFilter}",
                e.ClientId, e.UserName, Printable(e.TopicFilter.Topic));
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        logger.LogInformation("Embedded MQTT broker listening on {Address}", settings.Address);
    }

    private async Task ValidateAsync(MqttOptions settings, ValidatingConnectionEventArgs e)
    {
        var verdict = BrokerAccess.SignIn(settings, e.UserName, e.Password, e.ClientId);
        if (verdict.Accepted)
        {
            if (string.IsNullOrEmpty(e.ClientId) && e.ProtocolVersion == MqttProtocolVersion.V500) e.AssignedClientIdentifier = AssignClientId();
            return;
        }

        if (verdict.CountsAsFailure)
        {
            var delay = _throttle.Fail((e.RemoteEndPoint as IPEndPoint)?.Address);
            await Task.Delay(delay, time, e.CancellationToken);
        }

        e.ReasonCode = verdict.Code;
        e.ReasonString = verdict.Reason;
        Refusals.WithLabels("connect", verdict.Code.ToString()).Inc();
        logger.LogWarning("MQTT client {ClientId} refused ({Reason}: {Detail}) as {UserName} from {Endpoint}",
            Printable(e.ClientId), verdict.Code, verdict.Reason, Printable(e.UserName), e.RemoteEndPoint);
    }

    /// <summary>A client's text as the log may hold it: control characters escaped, at most 200 characters.</summary>
    private static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var shortened = text.Length > 200 ? text[..200] + $"… ({text.Length} characters)" : text;
        return string.Concat(shortened.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not { IsStarted: true } server) return;
        try
        {
            await server.StopAsync();
        }
        catch (ObjectDisposedException e)
        {
            // MQTTnet's server can dispose its own token source while a client session ends during the stop (seen
            // once in a test host's shutdown); the broker is down either way, and the host must go on stopping.
            logger.LogWarning(e, "The embedded MQTT broker had already released its resources while stopping");
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }
}
