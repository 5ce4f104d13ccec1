using System.Text.Json.Nodes;

namespace Bousai.SensorsSim.Tests;

public sealed class WireFormatTests
{
    private static readonly SimulatedStation Nakahashi = new("station-nakahashi", SimulatedStation.WaterLevel, "standard",
        new Dictionary<string, double> { ["standby"] = 1.6 });
    private static readonly SimulatedStation Amedas = new("station-amedas-35511", SimulatedStation.Rain, "amedas", new Dictionary<string, double>());
    private static readonly DateTimeOffset At = new(2022, 8, 3, 10, 10, 0, TimeSpan.Zero);

    [Fact]
    public void A_water_level_reading_goes_to_its_station_topic_in_metres_and_Japan_time()
    {
        var message = ReadingMessage.For(Nakahashi, At, 3.42);

        Assert.Equal("bousai/v1/stations/station-nakahashi/water_level", message.Topic);
        var payload = JsonNode.Parse(message.Payload)!.AsObject();
        Assert.Equal("2022-08-03T19:10:00+09:00", payload["observedAt"]!.GetValue<string>());
        Assert.Equal(3.42, payload["value"]!.GetValue<double>());
        Assert.Equal("m", payload["unit"]!.GetValue<string>());
        Assert.False(payload.ContainsKey("intervalMinutes"));
    }

    [Fact]
    public void A_rainfall_reading_says_its_interval()
    {
        var message = ReadingMessage.For(Amedas, At, 1.5);

        Assert.Equal("bousai/v1/stations/station-amedas-35511/rainfall", message.Topic);
        var payload = JsonNode.Parse(message.Payload)!.AsObject();
        Assert.Equal("mm", payload["unit"]!.GetValue<string>());
        Assert.Equal(10, payload["intervalMinutes"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("mqtt://sensors:s3cret@127.0.0.1:1883", "127.0.0.1", 1883, "sensors", "s3cret", false)]
    [InlineData("mqtt://broker.local", "broker.local", 1883, null, null, false)]
    [InlineData("mqtts://u:p%40ss@broker.local", "broker.local", 8883, "u", "p@ss", true)]
    public void Broker_addresses_read_like_the_one_bousai_up_prints(string text, string host, int port, string? user, string? password, bool tls) =>
        Assert.Equal(new BrokerAddress(host, port, user, password, tls), BrokerAddress.Parse(text));

    [Theory]
    [InlineData("127.0.0.1:1883")]
    [InlineData("http://127.0.0.1:1883")]
    [InlineData("")]
    public void Anything_else_is_refused_with_an_example(string text) =>
        Assert.Contains("mqtt://user:password@", Assert.Throws<ArgumentException>(() => BrokerAddress.Parse(text)).Message);
}
