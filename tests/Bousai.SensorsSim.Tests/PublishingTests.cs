using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;

namespace Bousai.SensorsSim.Tests;

/// <summary>The simulator program itself, run as a process against a real mosquitto.</summary>
public sealed class PublishingTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    [Fact]
    public async Task One_round_publishes_a_reading_for_every_shipped_station_at_QoS_1()
    {
        var received = new ConcurrentQueue<MqttApplicationMessage>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e => { received.Enqueue(e.ApplicationMessage); return Task.CompletedTask; };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithCredentials(MosquittoBroker.UserName, MosquittoBroker.Password).Build());
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("bousai/v1/stations/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var (exitCode, output) = await RunSimulatorAsync(broker.Url(), "--count", "1");

        Assert.True(exitCode == 0, output);
        Assert.Contains("SYNTHETIC", output);
        var stations = SimulatedStation.ReadGeoJson(Paths.Geodata("stations.geojson"));
        for (var wait = 0; received.Count < stations.Count && wait < 100; wait++) await Task.Delay(50);
        Assert.Equal(stations.Select(s => $"bousai/v1/stations/{s.Id}/{s.Quantity}").Order(), received.Select(m => m.Topic).Order());
        Assert.All(received, m =>
        {
            Assert.Equal(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, m.QualityOfServiceLevel);
            var payload = JsonNode.Parse(Encoding.UTF8.GetString(m.Payload))!;
            Assert.EndsWith("+09:00", payload["observedAt"]!.GetValue<string>());
            Assert.True(double.IsFinite(payload["value"]!.GetValue<double>()));
        });
    }

    [Fact]
    public async Task A_wrong_password_stops_the_simulator_with_a_clear_error()
    {
        var (exitCode, output) = await RunSimulatorAsync(broker.Url(MosquittoBroker.UserName, "wrong"), "--count", "1");

        Assert.Equal(2, exitCode);
        Assert.Contains("refused the connection", output);
    }

    [Fact]
    public async Task Anonymous_publishing_is_refused_by_the_broker()
    {
        var (exitCode, output) = await RunSimulatorAsync(broker.Url(user: null), "--count", "1");

        Assert.Equal(2, exitCode);
        Assert.Contains("refused the connection", output);
    }

    private static async Task<(int ExitCode, string Output)> RunSimulatorAsync(string brokerUrl, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Bousai.SensorsSim.dll"), "--broker", brokerUrl,
             "--stations", Paths.Geodata("stations.geojson"), .. arguments])
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
