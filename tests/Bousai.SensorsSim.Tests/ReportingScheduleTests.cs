namespace Bousai.SensorsSim.Tests;

/// <summary>危機管理型水位計 report every 10 minutes only while the river is high, once a day otherwise.</summary>
public sealed class ReportingScheduleTests
{
    private static readonly SimulatedStation Crisis = new("station-wada-natsumo", SimulatedStation.WaterLevel, "crisis",
        new Dictionary<string, double> { ["observation_start"] = 0.8, ["danger"] = 1.9 });
    private static readonly SimulatedStation Standard = new("station-nakahashi", SimulatedStation.WaterLevel, "standard",
        new Dictionary<string, double> { ["standby"] = 1.6, ["danger"] = 2.8 });
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.FromHours(9));

    private static List<DateTimeOffset> Reports(SimulatedStation station, Func<DateTimeOffset, double> level, int rounds)
    {
        var schedule = new ReportingSchedule();
        return Enumerable.Range(0, rounds).Select(k => Start.AddMinutes(10 * k)).Where(t => schedule.Reports(station, level(t), t)).ToList();
    }

    [Fact]
    public void A_crisis_gauge_on_a_low_river_reports_once_a_day()
    {
        var reports = Reports(Crisis, _ => 0.4, 3 * 144);

        Assert.Equal([Start, Start.AddDays(1), Start.AddDays(2)], reports);
    }

    [Fact]
    public void A_crisis_gauge_reports_every_round_while_at_or_above_observation_start_and_falls_silent_below_it()
    {
        // High (0.8 m, exactly observation_start) from round 10 to round 29, low otherwise.
        var reports = Reports(Crisis, t => (t - Start).TotalMinutes is >= 100 and < 300 ? 0.8 : 0.5, 2 * 144);

        Assert.Equal(1 + 20 + 1, reports.Count);
        Assert.Equal(Start, reports[0]);
        Assert.Equal(Enumerable.Range(10, 20).Select(k => Start.AddMinutes(10 * k)), reports.Skip(1).Take(20));
        Assert.Equal(Start.AddMinutes(290).AddDays(1), reports[^1]);
    }

    [Fact]
    public void A_standard_gauge_reports_every_round_however_low()
    {
        Assert.Equal(144, Reports(Standard, _ => 0.1, 144).Count);
    }

    [Fact]
    public void The_geodata_marks_the_shipped_crisis_gauge_as_daily_when_low()
    {
        var shipped = SimulatedStation.ReadGeoJson(Paths.Geodata("stations.geojson"));

        Assert.Equal(["station-wada-natsumo"], shipped.Where(s => s.ReportsDailyWhenLow).Select(s => s.Id));
    }
}
