using Bousai.Domain.Rivers;
using static Bousai.Domain.Rivers.WaterLevelStage;
using T = Bousai.Domain.Rivers.WaterLevelThreshold;

namespace Bousai.Domain.Tests.Rivers;

public sealed class WaterLevelStageTests
{
    // A real station's levels, only centimetres apart: 2.75 / 3.95 / 4.00 / 4.45 m.
    private static readonly (WaterLevelThreshold, double)[] CloseLevels = [(T.Standby, 2.75), (T.Caution, 3.95), (T.Evacuation, 4.00), (T.Danger, 4.45)];
    private static readonly (WaterLevelThreshold, double)[] CautionAndDangerOnly = [(T.Caution, 3.0), (T.Danger, 4.0)];
    private static readonly (WaterLevelThreshold, double)[] Crisis = [(T.ObservationStart, 0.8), (T.Danger, 1.9)];
    private static readonly (WaterLevelThreshold, double)[] CrisisDangerOnly = [(T.Danger, 1.9)];

    public static TheoryData<string, (WaterLevelThreshold, double)[], bool, double, WaterLevelStage> Cases => new()
    {
        { "below standby is normal", CloseLevels, false, 2.74, Normal },
        { "exactly at standby reaches it", CloseLevels, false, 2.75, Standby },
        { "just under caution stays standby", CloseLevels, false, 3.94, Standby },
        { "exactly at caution reaches it", CloseLevels, false, 3.95, Caution },
        { "one centimetre under evacuation is caution", CloseLevels, false, 3.99, Caution },
        { "exactly at evacuation reaches it", CloseLevels, false, 4.00, Evacuation },
        { "just under danger is evacuation", CloseLevels, false, 4.44, Evacuation },
        { "exactly at danger reaches it", CloseLevels, false, 4.45, Danger },
        { "far above danger is danger", CloseLevels, false, 9.0, Danger },
        { "negative level (below datum) is normal", CloseLevels, false, -0.3, Normal },
        { "gauge without standby: below caution is normal", CautionAndDangerOnly, false, 2.99, Normal },
        { "gauge without evacuation: between caution and danger is caution", CautionAndDangerOnly, false, 3.9, Caution },
        { "gauge without evacuation: at danger is danger", CautionAndDangerOnly, false, 4.0, Danger },
        { "no thresholds at all: always normal", [], false, 12.0, Normal },
        { "crisis gauge below observation start is normal", Crisis, true, 0.79, Normal },
        { "crisis gauge at observation start is observing", Crisis, true, 0.8, Observing },
        { "crisis gauge between the two is observing", Crisis, true, 1.89, Observing },
        { "crisis gauge at danger is danger", Crisis, true, 1.9, Danger },
        { "crisis gauge with only danger: below it is normal", CrisisDangerOnly, true, 1.5, Normal },
        { "crisis gauge with only danger: at it is danger", CrisisDangerOnly, true, 1.9, Danger },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stage_is_the_highest_threshold_reached(string _, (WaterLevelThreshold, double)[] levels, bool crisisGauge, double metres, WaterLevelStage expected)
    {
        var thresholds = WaterLevelThresholds.Create(levels.ToDictionary(l => l.Item1, l => l.Item2), crisisGauge).Thresholds!;

        Assert.Equal(expected, thresholds.StageOf(metres));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_level_that_is_not_a_number_has_no_stage(double metres)
    {
        var thresholds = WaterLevelThresholds.Create(CloseLevels.ToDictionary(l => l.Item1, l => l.Item2), false).Thresholds!;

        Assert.Throws<ArgumentOutOfRangeException>(() => thresholds.StageOf(metres));
    }

    [Theory]
    [InlineData(Normal, null)]
    [InlineData(Observing, null)]
    [InlineData(Standby, null)]
    [InlineData(Caution, 2)]
    [InlineData(Evacuation, 3)]
    [InlineData(Danger, 4)]
    public void Stages_map_to_alert_level_equivalents_from_the_guide(WaterLevelStage stage, int? level) =>
        Assert.Equal(level, WaterLevelStages.AlertLevelEquivalent(stage));

    [Fact]
    public void Crisis_gauge_danger_is_alert_level_4_equivalent()
    {
        var thresholds = WaterLevelThresholds.Create(Crisis.ToDictionary(l => l.Item1, l => l.Item2), true).Thresholds!;

        Assert.Equal(4, WaterLevelStages.AlertLevelEquivalent(thresholds.StageOf(2.0)));
        Assert.Null(WaterLevelStages.AlertLevelEquivalent(thresholds.StageOf(1.0)));
    }
}
