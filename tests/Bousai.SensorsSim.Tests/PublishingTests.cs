using Bousai.Testing;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Bousai.SensorsSim.Tests;

/// <summary>The simulator program itself, run as a process against a real mosquitto.</summary>
public sealed class PublishingTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    [Fact]
    public async Task One_round_publishes_a_reading_for_every_shipped_station_at_QoS_1()
    {
        await using var subscriber = await Subscriber.ConnectAsync(broker);

        var (exitCode, output) = await RunSimulatorAsync(broker.Url(), "--count", "1");

        Assert.True(exitCode == 0, output);
        Assert.Contains("SYNTHETIC", output);
        var stations = SimulatedStation.ReadGeoJson(Paths.Geodata("stations.geojson"));
        await subscriber.WaitForAsync(stations.Count);
        Assert.Equal(stations.Select(s => $"bousai/v1/stations/{s.Id}/{s.Quantity}").Order(), subscriber.Received.Select(m => m.Topic).Order());
        Assert.All(subscriber.Received, m =>
        {
            Assert.Equal(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, m.Message.QualityOfServiceLevel);
            var payload = JsonNode.Parse(m.Payload)!;
            Assert.EndsWith("+09:00", payload["observedAt"]!.GetValue<string>());
            Assert.True(double.IsFinite(payload["value"]!.GetValue<double>()));
        });
    }

    [Fact]
    public async Task A_wrong_password_stops_the_simulator_with_a_clear_error()
    {
        var (exitCode, output) = await RunSimulatorAsync(broker.Url(MosquittoBroker.GaugeUser, "wrong"), "--count", "1");

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

    [Fact]
    public async Task Bad_options_stop_the_simulator_with_exit_code_2_and_say_why()
    {
        var (exitCode, output) = await RunSimulatorAsync(broker.Url(), "--rate", "10");

        Assert.Equal(2, exitCode);
        Assert.Contains("--rate does not apply to steady mode", output);
    }

    [Fact]
    public async Task Fast_steady_weather_is_a_replay_of_its_rounds_that_ends_now()
    {
        await using var subscriber = await Subscriber.ConnectAsync(broker);
        var before = DateTimeOffset.UtcNow;

        var (exitCode, output) = await RunSimulatorAsync(broker.Url(), "--speed", "1200", "--count", "3", "--client-id", "steady-replay");

        var after = DateTimeOffset.UtcNow;
        Assert.True(exitCode == 0, output);
        await subscriber.WaitForAsync(3 * 7 + 1);
        var nakahashi = subscriber.Received.Where(m => m.Topic.Contains("station-nakahashi"))
            .Select(m => DateTimeOffset.Parse(JsonNode.Parse(m.Payload)!["observedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, nakahashi.Count);
        Assert.Equal([TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)], nakahashi.Zip(nakahashi.Skip(1), (a, b) => b - a));
        Assert.InRange(nakahashi[^1], before.AddSeconds(-1), after);
        Assert.Contains("steady round 3/3", output);
    }

    private static Task<(int ExitCode, string Output)> RunSimulatorAsync(string brokerUrl, params string[] arguments) =>
        SimulatorProcess.RunAsync(brokerUrl, ["--stations", Paths.Geodata("stations.geojson"), .. arguments]);
}
