namespace Bousai.SensorsSim.Tests;

public sealed class SteadyWeatherTests
{
    private static readonly IReadOnlyList<SimulatedStation> Shipped = SimulatedStation.ReadGeoJson(Paths.Geodata("stations.geojson"));
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.FromHours(9));

    private static IEnumerable<DateTimeOffset> TwoDaysEveryTenMinutes() => Enumerable.Range(0, 288).Select(i => Start.AddMinutes(10 * i));

    [Fact]
    public void Every_shipped_river_stays_below_its_first_threshold_and_above_zero()
    {
        foreach (var station in Shipped.Where(s => s.Kind == SimulatedStation.WaterLevel))
        {
            var first = station.Thresholds.GetValueOrDefault("standby", station.Thresholds.GetValueOrDefault("observation_start"));
            Assert.True(first > 0, $"{station.Id} has no first threshold");
            Assert.All(TwoDaysEveryTenMinutes(), t => Assert.InRange(SteadyWeather.WaterLevel(station, t), 0.01, first * 0.99));
        }
    }

    [Fact]
    public void Rain_is_mostly_dry_with_light_showers()
    {
        var amounts = Shipped.Where(s => s.Kind == SimulatedStation.Rain)
            .SelectMany(s => TwoDaysEveryTenMinutes().Select(t => SteadyWeather.Rainfall(s, t))).ToList();

        Assert.All(amounts, mm => Assert.InRange(mm, 0.0, 3.0));
        Assert.InRange(amounts.Count(mm => mm == 0) / (double)amounts.Count, 0.8, 0.97);
    }

    [Fact]
    public void The_same_station_and_time_always_give_the_same_reading()
    {
        var station = Shipped[0];
        Assert.Equal(SteadyWeather.Value(station, Start), SteadyWeather.Value(station, Start));
    }
}
