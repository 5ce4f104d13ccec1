using Bousai.Domain.Rain;
using static Bousai.Domain.Rain.LandslideConcern;

namespace Bousai.Domain.Tests.Rain;

public sealed class LocalLandslideEstimateTests
{
    public static TheoryData<string, double, double, LandslideConcern, string, string> Cases => new()
    {
        // name, 60-minute mm, soil water index, concern, Japanese reason, English reason (Takahata: 30/50 mm, 74/97)
        { "dry", 0, 0, None, "目安に達していません（土壌雨量指数 0、60分雨量 0 mm）", "no criterion reached (soil water index 0, 60-minute rain 0 mm)" },
        { "just under both advisory lines", 29.9, 73.9, None, "目安に達していません（土壌雨量指数 73.9、60分雨量 29.9 mm）", "no criterion reached" },
        { "index just under the advisory line never prints as the line", 2.3, 73.96, None, "土壌雨量指数 73.9、60分雨量 2.3 mm", "73.9" },
        { "60-minute rain at the advisory line", 30, 10, Advisory, "60分雨量 30 mm が注意の目安 30 mm 以上", "60-minute rain 30 mm at or above the advisory line 30 mm" },
        { "index at the advisory line", 0, 74, Advisory, "土壌雨量指数 74 が注意の目安 74 以上", "soil water index 74 at or above the advisory line 74" },
        { "both at advisory lines", 30, 74, Advisory, "土壌雨量指数 74 が注意の目安 74 以上、60分雨量 30 mm が注意の目安 30 mm 以上", "; " },
        { "warning-level rain on ground not yet soaked is advisory", 50, 73.9, Advisory,
            "60分雨量 50 mm が警戒の目安 50 mm 以上、土壌雨量指数が注意の目安 74 未満のため「注意」", "so advisory only" },
        { "warning-level rain on soaked ground is warning", 50, 74, Warning,
            "土壌雨量指数 74 が注意の目安 74 以上、60分雨量 50 mm が警戒の目安 50 mm 以上", "60-minute rain 50 mm at or above the warning line 50 mm" },
        { "rain just under warning on soaked ground is advisory", 49.9, 96.9, Advisory, "60分雨量 49.9 mm が注意の目安 30 mm 以上", "advisory line 74" },
        { "index at the warning line is warning without rain", 0, 97, Warning, "土壌雨量指数 97 が警戒の目安 97 以上", "soil water index 97 at or above the warning line 97" },
        { "index at warning and heavy rain", 72.5, 140.25, Warning, "土壌雨量指数 140.2 が警戒の目安 97 以上、60分雨量 72.5 mm が警戒の目安 50 mm 以上", "warning line 50 mm" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Concern_follows_the_rule_and_the_reason_names_the_criteria_met(
        string _, double sixtyMinuteMm, double soilWaterIndex, LandslideConcern concern, string reasonJa, string reasonEn)
    {
        var estimate = LocalLandslideEstimate.From(sixtyMinuteMm, soilWaterIndex, LandslideCriteria.Takahata);

        Assert.Equal(concern, estimate.Concern);
        Assert.Equal(sixtyMinuteMm, estimate.SixtyMinuteMm);
        Assert.Equal(soilWaterIndex, estimate.SoilWaterIndex);
        Assert.Contains(reasonJa, estimate.Reason);
        Assert.Contains(reasonEn, estimate.ReasonEn);
    }

    [Fact]
    public void Criteria_are_data_so_another_town_gets_its_own_lines()
    {
        var elsewhere = LandslideCriteria.Takahata with { SixtyMinuteAdvisoryMm = 40, SixtyMinuteWarningMm = 70 };

        Assert.Equal(Advisory, LocalLandslideEstimate.From(35, 0, LandslideCriteria.Takahata).Concern);
        Assert.Equal(None, LocalLandslideEstimate.From(35, 0, elsewhere).Concern);
        Assert.Equal(Advisory, LocalLandslideEstimate.From(60, 80, elsewhere).Concern);
    }

    [Fact]
    public void Takahata_criteria_come_from_the_domain_guide() =>
        Assert.Equal(new LandslideCriteria(30, 50, 74, 97), LandslideCriteria.Takahata);

    [Fact]
    public void Every_estimate_says_it_is_a_local_estimate_and_not_the_official_alert()
    {
        var estimate = LocalLandslideEstimate.From(60, 120, LandslideCriteria.Takahata);

        Assert.Contains("独自推計", estimate.Label);
        Assert.Contains("公式の土砂災害警戒情報ではありません", LocalLandslideEstimate.LabelJa);
        Assert.Contains("not the official", LocalLandslideEstimate.LabelEn);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(double.NaN, 0)]
    [InlineData(0, double.PositiveInfinity)]
    public void Impossible_values_are_refused(double sixtyMinuteMm, double soilWaterIndex) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalLandslideEstimate.From(sixtyMinuteMm, soilWaterIndex, LandslideCriteria.Takahata));
}
