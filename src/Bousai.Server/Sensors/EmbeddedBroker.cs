using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Bousai.Server.Sensors;

/// <summary>
/// The in-process MQTT broker (MQTTnet.Server) used when Mqtt:Embedded is true, so one process runs everything. It only
/// brokers: ingestion connects to it as an ordinary MQTT client, exactly as it connects to an external broker.
/// </summary>
public sealed class EmbeddedBroker(IOptions<MqttOptions> options, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Embedded) return;
        if (!settings.AllowAnonymous && (string.IsNullOrEmpty(settings.Username) || string.IsNullOrEmpty(settings.Password)))
        {
            throw new InvalidOperationException(
                "The embedded MQTT broker needs Mqtt:Username and Mqtt:Password (the gauges' credential), or Mqtt:AllowAnonymous=true.");
        }

        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(settings.Host))
            .WithDefaultEndpointPort(settings.Port)
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(100_000)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += e =>
        {
            var anonymous = string.IsNullOrEmpty(e.UserName);
            var allowed = anonymous
                ? settings.AllowAnonymous
                : e.UserName == settings.Username && e.Password == settings.Password;
            if (!allowed)
            {
                e.ReasonCode = anonymous ? MqttConnectReasonCode.NotAuthorized : MqttConnectReasonCode.BadUserNameOrPassword;
                logger.LogWarning("MQTT client {ClientId} refused ({Reason}) from {Endpoint}", e.ClientId, e.ReasonCode, e.RemoteEndPoint);
            }

            return Task.CompletedTask;
        };
        await _server.StartAsync();
        logger.LogInformation("Embedded MQTT broker listening on {Address}", settings.Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.StopAsync();
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }
}
