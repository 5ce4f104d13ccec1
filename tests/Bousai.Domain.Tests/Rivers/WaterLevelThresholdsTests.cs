using Bousai.Domain.Rivers;
using static Bousai.Domain.Rivers.WaterLevelThreshold;

namespace Bousai.Domain.Tests.Rivers;

public sealed class WaterLevelThresholdsTests
{
    public static TheoryData<string, bool, (WaterLevelThreshold, double)[], string?> Cases => new()
    {
        { "four standard levels rising", false, [(Standby, 1.6), (Caution, 2.1), (Evacuation, 2.5), (Danger, 2.8)], null },
        { "levels only centimetres apart are fine", false, [(Standby, 2.75), (Caution, 3.95), (Evacuation, 4.00), (Danger, 4.45)], null },
        { "a gauge may define only some levels", false, [(Caution, 3.0), (Danger, 4.0)], null },
        { "no thresholds at all", false, [], null },
        { "caution below standby", false, [(Standby, 2.0), (Caution, 1.5)], "'caution' (1.5 m) must be above 'standby' (2 m)" },
        { "equal levels", false, [(Evacuation, 3.0), (Danger, 3.0)], "'danger' (3 m) must be above 'evacuation' (3 m)" },
        { "gap then inversion", false, [(Standby, 2.0), (Danger, 1.0)], "'danger' (1 m) must be above 'standby' (2 m)" },
        { "crisis gauge: observation start and danger", true, [(ObservationStart, 0.8), (Danger, 1.9)], null },
        { "crisis gauge inverted", true, [(ObservationStart, 2.0), (Danger, 1.9)], "'danger' (1.9 m) must be above 'observation_start' (2 m)" },
        { "crisis gauge has no caution level", true, [(Caution, 1.0)], "a crisis gauge has no 'caution' threshold" },
        { "standard gauge has no observation start", false, [(ObservationStart, 1.0)], "a standard gauge has no 'observation_start' threshold" },
        { "not a number", false, [(Standby, double.NaN)], "finite" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Thresholds_must_fit_the_gauge_and_rise_strictly(string _, bool crisisGauge, (WaterLevelThreshold, double)[] levels, string? error)
    {
        var result = WaterLevelThresholds.Create(levels.ToDictionary(l => l.Item1, l => l.Item2), crisisGauge);

        if (error is null)
        {
            Assert.Null(result.Error);
            Assert.Equal(levels.Length, result.Thresholds!.Levels.Count);
        }
        else
        {
            Assert.Null(result.Thresholds);
            Assert.Contains(error, result.Error);
        }
    }

    [Theory]
    [InlineData("standby", Standby)]
    [InlineData("caution", Caution)]
    [InlineData("evacuation", Evacuation)]
    [InlineData("danger", Danger)]
    [InlineData("observation_start", ObservationStart)]
    public void Stage_keys_round_trip(string key, WaterLevelThreshold stage)
    {
        Assert.True(WaterLevelThresholds.TryParseStage(key, out var parsed));
        Assert.Equal(stage, parsed);
        Assert.Equal(key, WaterLevelThresholds.KeyOf(stage));
    }

    [Fact]
    public void Unknown_stage_key_is_refused() => Assert.False(WaterLevelThresholds.TryParseStage("氾濫危険水位", out _));
}
