using Bousai.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MQTTnet;

namespace Bousai.SensorsSim.Tests;

/// <summary>The simulator program itself, run as a process, as ./bousai sim runs it.</summary>
public static class SimulatorProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string brokerUrl, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Bousai.SensorsSim.dll"), "--broker", brokerUrl, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"the simulator did not stop within 60 s: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>A QoS 1 subscriber to every station topic that keeps what arrives, and when.</summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public ConcurrentQueue<(string Topic, string Payload, MqttApplicationMessage Message, DateTimeOffset ReceivedAt)> Received { get; } = new();

    public static async Task<Subscriber> ConnectAsync(MosquittoBroker broker)
    {
        var subscriber = new Subscriber();
        subscriber._client.ApplicationMessageReceivedAsync += e =>
        {
            subscriber.Received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        };
        await subscriber._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithCredentials(MosquittoBroker.IngestUser, MosquittoBroker.IngestPassword).Build());
        await subscriber._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("bousai/v1/stations/+/+", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return subscriber;
    }

    /// <summary>Waits until <paramref name="count"/> messages have arrived, or 10 s without news.</summary>
    public async Task WaitForAsync(long count)
    {
        var (seen, quietSince) = (Received.Count, Stopwatch.StartNew());
        while (Received.Count < count && quietSince.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            if (Received.Count != seen) (seen, quietSince) = (Received.Count, Stopwatch.StartNew());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
