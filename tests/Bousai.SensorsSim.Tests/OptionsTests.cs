namespace Bousai.SensorsSim.Tests;

public sealed class OptionsTests
{
    private const string Broker = "mqtt://sensors:pw@127.0.0.1:1883";

    private static SimOptions Parse(params string[] args) => SimOptions.Parse(["--broker", Broker, .. args], null, "stations.geojson");

    [Fact]
    public void Without_a_mode_the_simulator_runs_steady_weather_in_real_time_every_10_minutes()
    {
        var options = Parse();

        Assert.Equal(SimMode.Steady, options.Mode);
        Assert.Equal(1, options.Speed);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Interval);
        Assert.Null(options.Count);
        Assert.Equal("bousai-sensors-sim", options.ClientId);
    }

    [Fact]
    public void A_scenario_implies_scenario_mode_at_60x_then_steady_weather()
    {
        var options = Parse("--scenario", "2019-hagibis");

        Assert.Equal(SimMode.Scenario, options.Mode);
        Assert.Equal("2019-hagibis", options.Scenario!.Name);
        Assert.Equal(60, options.Speed);
        Assert.True(options.ThenSteady);
    }

    [Fact]
    public void Load_stations_imply_load_mode_without_needing_geodata()
    {
        var options = Parse("--load-stations", "500", "--rate", "50", "--batch", "10", "--duration", "2", "--client-id", "bench");

        Assert.Equal(SimMode.Load, options.Mode);
        Assert.Equal(new LoadOptions(500, 50, 10, TimeSpan.FromSeconds(2), 4, 1000), options.Load);
        Assert.Equal("bench", options.ClientId);
        Assert.Equal("load-00001", LoadOptions.StationId(1));
        Assert.Equal("load-99999", LoadOptions.StationId(99_999));
    }

    [Fact]
    public void The_broker_may_come_from_the_environment()
    {
        var options = SimOptions.Parse([], "mqtt://u:p@broker.local:1884", "stations.geojson");

        Assert.Equal(new BrokerAddress("broker.local", 1884, "u", "p", false), options.Broker);
    }

    [Theory]
    [InlineData("--mode", "fast")]
    [InlineData("--frobnicate", "1")]
    [InlineData("--scenario", "1999")]
    [InlineData("--scenario", "2022-08", "--speed", "0.5")]
    [InlineData("--scenario", "2022-08", "--then", "sleep")]
    [InlineData("--scenario", "2022-08", "--then", "stop", "--count", "3")]
    [InlineData("--speed", "60")]
    [InlineData("--interval", "0")]
    [InlineData("--count", "-1")]
    [InlineData("--rate", "10")]
    [InlineData("--load-stations", "10")]
    [InlineData("--load-stations", "100000", "--rate", "1")]
    [InlineData("--load-stations", "10", "--rate", "2000")]
    [InlineData("--load-stations", "10", "--rate", "1", "--speed", "60")]
    [InlineData("--mode", "steady", "--scenario", "2022-08")]
    [InlineData("--count")]
    [InlineData("--count", "1", "--count", "2")]
    public void Bad_options_are_refused_with_a_message(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(args));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Options_that_belong_to_another_mode_say_so() =>
        Assert.Equal("--rate does not apply to steady mode", Assert.Throws<ArgumentException>(() => Parse("--rate", "10")).Message);

    [Fact]
    public void A_fast_steady_run_needs_a_count_because_it_is_a_replay_that_ends_now()
    {
        Assert.Contains("needs --count", Assert.Throws<ArgumentException>(() => Parse("--speed", "60")).Message);
        Assert.Equal(60, Parse("--speed", "60", "--count", "144").Speed);
    }
}
