using Bousai.Testing;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Bousai.SensorsSim.Tests;

/// <summary>Scenario replays end to end: the simulator process against a real mosquitto, at 36,000× (24 h in 2.4 s).</summary>
public sealed class ScenarioPublishingTests(MosquittoBroker broker) : IClassFixture<MosquittoBroker>
{
    private static readonly IReadOnlyList<SimulatedStation> Shipped = SimulatedStation.ReadGeoJson(Paths.Geodata("stations.geojson"));

    private static DateTimeOffset ObservedAt(string payload) =>
        DateTimeOffset.Parse(JsonNode.Parse(payload)!["observedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>What each station should publish over the whole scenario, from the pure functions: (scenario time, value).</summary>
    private static Dictionary<string, List<(DateTimeOffset At, double Value)>> Expected(Scenario scenario)
    {
        var schedule = new ReportingSchedule();
        var expected = Shipped.ToDictionary(s => s.Id, _ => new List<(DateTimeOffset, double)>());
        foreach (var t in scenario.ReadingTimes)
        {
            foreach (var station in Shipped.Where(s => schedule.Reports(s, scenario.Value(s, t), t)))
            {
                expected[station.Id].Add((t, scenario.Value(station, t)));
            }
        }

        return expected;
    }

    private Dictionary<string, List<(DateTimeOffset ObservedAt, double Value, DateTimeOffset ReceivedAt)>> ByStation(Subscriber subscriber) =>
        subscriber.Received.GroupBy(m => m.Topic.Split('/')[3]).ToDictionary(g => g.Key,
            g => g.Select(m => (ObservedAt(m.Payload), JsonNode.Parse(m.Payload)!["value"]!.GetValue<double>(), m.ReceivedAt)).ToList());

    [Fact]
    public async Task A_scenario_publishes_its_curves_every_10_simulated_minutes_in_the_past_and_catches_up_with_now()
    {
        var scenario = Scenarios.Named("2022-08");
        var expected = Expected(scenario);
        await using var subscriber = await Subscriber.ConnectAsync(broker);
        var before = DateTimeOffset.UtcNow;

        var (exitCode, output) = await SimulatorProcess.RunAsync(broker.Url(), "--stations", Paths.Geodata("stations.geojson"),
            "--scenario", "2022-08", "--speed", "36000", "--then", "stop");

        var after = DateTimeOffset.UtcNow;
        Assert.True(exitCode == 0, output);
        Assert.Contains("SYNTHETIC scenario 2022-08", output);
        Assert.Contains("scenario 2022-08-03 19:15 (大雨特別警報", output);
        Assert.Contains("SYNTHETIC 2022-08 144/144 scenario 2022-08-04 06:00 JST", output);
        await subscriber.WaitForAsync(expected.Values.Sum(v => v.Count));
        var received = ByStation(subscriber);
        foreach (var station in Shipped)
        {
            var readings = received[station.Id];
            Assert.Equal(expected[station.Id].Select(e => e.Value), readings.Select(r => r.Value));
            // The replay keeps the scenario's spacing: observedAt is the scenario time shifted by one fixed offset.
            var shift = readings[0].ObservedAt - expected[station.Id][0].At;
            Assert.Equal(expected[station.Id].Select(e => e.At + shift), readings.Select(r => r.ObservedAt));
            Assert.All(readings, r => Assert.True(r.ObservedAt <= r.ReceivedAt, $"{station.Id}: observed {r.ObservedAt:O} after it arrived {r.ReceivedAt:O}"));
        }

        Assert.All(Shipped.Where(s => !s.ReportsDailyWhenLow), s => Assert.Equal(144, received[s.Id].Count));
        var first = received["station-nakahashi"][0].ObservedAt;
        var last = received["station-nakahashi"][^1].ObservedAt;
        Assert.InRange(first, before - TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1), after - TimeSpan.FromHours(24) + TimeSpan.FromMinutes(10));
        Assert.InRange(last, before - TimeSpan.FromSeconds(1), after);
    }

    [Fact]
    public async Task The_crisis_gauge_reports_every_round_only_while_the_river_is_high()
    {
        var natsumo = Shipped.Single(s => s.Id == "station-wada-natsumo");
        var scenario = Scenarios.Named("2019-hagibis");
        var highRounds = scenario.ReadingTimes.Count(t => scenario.Value(natsumo, t) >= natsumo.Thresholds["observation_start"]);
        await using var subscriber = await Subscriber.ConnectAsync(broker);

        var (exitCode, output) = await SimulatorProcess.RunAsync(broker.Url(), "--stations", Paths.Geodata("stations.geojson"),
            "--scenario", "2019-hagibis", "--speed", "36000", "--then", "stop", "--client-id", "hagibis");

        Assert.True(exitCode == 0, output);
        await subscriber.WaitForAsync(7 * 144 + 1 + highRounds);
        var readings = ByStation(subscriber)["station-wada-natsumo"];
        Assert.InRange(highRounds, 12, 143);
        Assert.Equal(1 + highRounds, readings.Count);
        Assert.True(readings[0].Value < natsumo.Thresholds["observation_start"], "the first report is the daily one, while low");
        Assert.All(readings.Skip(1), r => Assert.True(r.Value >= natsumo.Thresholds["observation_start"]));
        Assert.Contains("silent (low: reports daily)", output);
    }

    [Fact]
    public async Task After_the_scenario_steady_weather_carries_on_in_real_time_so_observedAt_never_goes_back()
    {
        await using var subscriber = await Subscriber.ConnectAsync(broker);

        var (exitCode, output) = await SimulatorProcess.RunAsync(broker.Url(), "--stations", Paths.Geodata("stations.geojson"),
            "--scenario", "2022-08", "--speed", "36000", "--count", "2", "--interval", "1", "--client-id", "then-steady");

        var after = DateTimeOffset.UtcNow;
        Assert.True(exitCode == 0, output);
        Assert.Contains("SYNTHETIC steady round 2/2", output);
        await subscriber.WaitForAsync(Shipped.Count(s => !s.ReportsDailyWhenLow) * 146);
        var received = ByStation(subscriber);
        Assert.All(Shipped.Where(s => !s.ReportsDailyWhenLow), s =>
        {
            var observed = received[s.Id].Select(r => r.ObservedAt).ToList();
            Assert.Equal(146, observed.Count);
            Assert.Equal(observed.Order(), observed);
            Assert.Equal(observed.Count, observed.Distinct().Count());
            Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], observed.Skip(143).Zip(observed.Skip(144), (a, b) => b - a));
            Assert.True(observed[^1] <= after);
        });
    }
}
