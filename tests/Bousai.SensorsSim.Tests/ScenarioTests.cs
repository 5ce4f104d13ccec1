namespace Bousai.SensorsSim.Tests;

/// <summary>The scenario curves against the real events they are anchored on (times in JST).</summary>
public sealed class ScenarioTests
{
    private static readonly IReadOnlyList<SimulatedStation> Shipped = SimulatedStation.ReadGeoJson(Paths.Geodata("stations.geojson"));

    private static SimulatedStation Station(string id) => Shipped.Single(s => s.Id == id);

    private static Scenario Named(string name) => Scenarios.Named(name);

    private static DateTimeOffset At(string jst) => DateTimeOffset.Parse(jst + "+09:00", System.Globalization.CultureInfo.InvariantCulture);

    private static List<(DateTimeOffset At, double Value)> Curve(Scenario scenario, SimulatedStation station) =>
        scenario.ReadingTimes.Select(t => (t, scenario.Value(station, t))).ToList();

    private static DateTimeOffset? FirstReaching(List<(DateTimeOffset At, double Value)> curve, double level) =>
        curve.Where(p => p.Value >= level).Select(p => (DateTimeOffset?)p.At).FirstOrDefault();

    [Theory]
    [InlineData("2022-08", "2022-08-03T06:00", "2022-08-04T06:00")]
    [InlineData("2019-hagibis", "2019-10-12T06:00", "2019-10-13T06:00")]
    public void A_scenario_is_24_hours_of_readings_every_10_minutes(string name, string start, string end)
    {
        var scenario = Named(name);

        Assert.Equal(At(start), scenario.Start);
        Assert.Equal(At(end), scenario.End);
        Assert.Equal(144, scenario.ReadingTimes.Count());
        Assert.Equal(At(end), scenario.ReadingTimes.Last());
    }

    [Theory]
    [InlineData("station-nakahashi")]
    [InlineData("station-nukanome")]
    public void In_2022_08_each_river_crosses_caution_then_evacuation_then_its_own_danger_level_late_on_the_3rd(string id)
    {
        var station = Station(id);
        var curve = Curve(Named("2022-08"), station);

        var caution = FirstReaching(curve, station.Thresholds["caution"]);
        var evacuation = FirstReaching(curve, station.Thresholds["evacuation"]);
        var danger = FirstReaching(curve, station.Thresholds["danger"]);

        Assert.NotNull(danger);
        Assert.InRange(danger.Value, At("2022-08-03T20:30"), At("2022-08-03T22:30"));
        Assert.True(caution < evacuation && evacuation < danger, $"{caution} < {evacuation} < {danger}");
        Assert.All(curve.Where(p => p.At < At("2022-08-03T12:00")), p => Assert.True(p.Value < station.Thresholds["standby"]));
    }

    [Theory]
    [InlineData("station-nakahashi")]
    [InlineData("station-nukanome")]
    public void In_2022_08_each_river_is_back_below_standby_by_06_00_on_the_4th(string id)
    {
        var station = Station(id);

        Assert.True(Named("2022-08").Value(station, At("2022-08-04T06:00")) < station.Thresholds["standby"]);
    }

    [Theory]
    [InlineData("2022-08", "2022-08-03T18:00", "2022-08-03T22:00")]
    [InlineData("2019-hagibis", "2019-10-12T20:00", "2019-10-13T01:00")]
    public void The_natsumo_crisis_gauge_rises_above_observation_start_and_over_danger(string name, string dangerFrom, string dangerTo)
    {
        var station = Station("station-wada-natsumo");
        var curve = Curve(Named(name), station);

        Assert.True(curve[0].Value < station.Thresholds["observation_start"]);
        var danger = FirstReaching(curve, station.Thresholds["danger"]);
        Assert.NotNull(danger);
        Assert.InRange(danger.Value, At(dangerFrom), At(dangerTo));
        Assert.True(curve[^1].Value < station.Thresholds["observation_start"]);
    }

    [Fact]
    public void In_2022_08_the_wettest_gauge_has_a_record_like_24_hour_total_and_10_minute_bursts_in_the_evening()
    {
        var scenario = Named("2022-08");
        var totals = Shipped.Where(s => s.Kind == SimulatedStation.Rain).ToDictionary(s => s, s => Curve(scenario, s).Sum(p => p.Value));

        var (wettest, total) = totals.MaxBy(t => t.Value);
        Assert.InRange(total, 230, 320);
        Assert.All(totals.Where(t => t.Key != wettest), t => Assert.True(t.Value < total - 50, $"{t.Key.Id} {t.Value} mm"));
        var peak = Curve(scenario, wettest).MaxBy(p => p.Value);
        Assert.InRange(peak.Value, 10, 20);
        Assert.InRange(peak.At, At("2022-08-03T17:00"), At("2022-08-03T20:00"));
    }

    [Fact]
    public void In_2022_08_the_wettest_hour_crosses_the_towns_50_mm_heavy_rain_criterion()
    {
        var scenario = Named("2022-08");
        var wettest = Shipped.Where(s => s.Kind == SimulatedStation.Rain).MaxBy(s => Curve(scenario, s).Sum(p => p.Value))!;
        var curve = Curve(scenario, wettest);

        var wettestHour = Enumerable.Range(5, curve.Count - 5).Max(i => curve.Skip(i - 5).Take(6).Sum(p => p.Value));

        Assert.InRange(wettestHour, 50, 100);
    }

    [Fact]
    public void In_Hagibis_AMeDAS_Takahata_gets_about_its_record_240_mm_in_24_hours_mostly_on_the_evening_of_the_12th()
    {
        var curve = Curve(Named("2019-hagibis"), Station("station-amedas-35511"));

        Assert.InRange(curve.Sum(p => p.Value), 220, 260);
        var evening = curve.Where(p => p.At > At("2019-10-12T15:00") && p.At <= At("2019-10-13T00:00")).Sum(p => p.Value);
        Assert.True(evening > curve.Sum(p => p.Value) / 2, $"{evening} mm from 15:00 to 24:00");
    }

    [Theory]
    [InlineData("station-nakahashi")]
    [InlineData("station-nukanome")]
    public void In_Hagibis_the_larger_rivers_crest_overnight_between_evacuation_and_danger(string id)
    {
        var station = Station(id);
        var crest = Curve(Named("2019-hagibis"), station).MaxBy(p => p.Value);

        Assert.InRange(crest.At, At("2019-10-12T21:00"), At("2019-10-13T03:00"));
        Assert.InRange(crest.Value, station.Thresholds["evacuation"], station.Thresholds["danger"] - 0.01);
    }

    /// <summary>Thresholds centimetres apart, as at one real station (2.75 / 3.95 / 4.00 / 4.45 m), on an id the scenarios have never seen.</summary>
    [Theory]
    [InlineData("2022-08", 4.45, 4.75 + 0.05)]
    [InlineData("2019-hagibis", 4.00, 4.45)]
    public void River_curves_come_from_the_stations_own_thresholds_not_from_its_id(string name, double crestAtLeast, double crestBelow)
    {
        var station = new SimulatedStation("station-somewhere-else", SimulatedStation.WaterLevel, "standard",
            new Dictionary<string, double> { ["standby"] = 2.75, ["caution"] = 3.95, ["evacuation"] = 4.00, ["danger"] = 4.45 });

        var crest = Curve(Named(name), station).Max(p => p.Value);

        Assert.InRange(crest, crestAtLeast, crestBelow);
    }

    [Theory]
    [InlineData("2022-08")]
    [InlineData("2019-hagibis")]
    public void Every_value_is_plausible_for_the_server_and_rain_comes_in_half_millimetres(string name)
    {
        var scenario = Named(name);
        foreach (var station in Shipped)
        {
            Assert.All(Curve(scenario, station), p =>
            {
                if (station.Kind == SimulatedStation.Rain)
                {
                    Assert.InRange(p.Value, 0, 60);
                    Assert.Equal(0, p.Value * 2 % 1);
                }
                else
                {
                    Assert.InRange(p.Value, 0, station.Thresholds["danger"] + 0.5);
                }
            });
        }
    }

    [Theory]
    [InlineData("2022-08")]
    [InlineData("2019-hagibis")]
    public void A_rerun_publishes_the_same_values_for_the_same_times(string name)
    {
        var scenario = Named(name);
        var again = Scenarios.All.Single(s => s.Name == name);
        var reversed = SimulatedStation.ReadGeoJson(Paths.Geodata("stations.geojson")).Reverse().ToList();

        foreach (var station in reversed)
        {
            Assert.Equal(Curve(scenario, Station(station.Id)), Curve(again, station));
        }
    }

    [Fact]
    public void Unknown_scenarios_are_refused_with_the_names_there_are() =>
        Assert.Contains("2022-08 or 2019-hagibis", Assert.Throws<ArgumentException>(() => Scenarios.Named("1999")).Message);
}
