using System.Globalization;

namespace Bousai.Domain.Rain;

/// <summary>How concerned the town's own landslide estimate is. Not the official 土砂災害警戒情報.</summary>
public enum LandslideConcern
{
    /// <summary>No criterion reached.</summary>
    None,

    /// <summary>注意: an advisory criterion reached.</summary>
    Advisory,

    /// <summary>警戒: the soil water index at its warning criterion, or soaked ground under warning-level rain.</summary>
    Warning,
}

/// <summary>
/// The lines a local landslide estimate compares against: 60-minute rain in mm and the soil water index
/// (土壌雨量指数). Criteria are data, per town: JMA revises its criteria and other towns have other values.
/// </summary>
public sealed record LandslideCriteria(double SixtyMinuteAdvisoryMm, double SixtyMinuteWarningMm, double SoilWaterIndexAdvisory, double SoilWaterIndexWarning)
{
    /// <summary>
    /// 高畠町's heavy-rain criteria from the domain guide: soil water index 74 (advisory) / 97 (warning); 1-hour rain
    /// 30 / 50 mm, the flat-land values (elsewhere 40 / 70) — the lower pair, since the town's gauges stand where people live.
    /// </summary>
    public static LandslideCriteria Takahata { get; } = new(30, 50, 74, 97);
}

/// <summary>
/// A transparent local proxy for landslide danger from the town's own rain gauge: 60-minute rain and a soil water index
/// computed by <see cref="SoilWaterIndex"/>. It is never the official 土砂災害警戒情報 (issued jointly by the prefecture
/// and JMA from analysed rain and forecasts) and must always be shown with <see cref="LabelJa"/> / <see cref="LabelEn"/>.
/// <see cref="Reason"/> says in Japanese which criteria were met, <see cref="ReasonEn"/> the same in English.
/// </summary>
public sealed record LocalLandslideEstimate(LandslideConcern Concern, double SixtyMinuteMm, double SoilWaterIndex, string Reason)
{
    public const string LabelJa = "土砂災害の目安（この町の雨量計による独自推計・公式の土砂災害警戒情報ではありません）";

    public const string LabelEn = "Landslide indication (the town's own estimate from its rain gauges; not the official landslide alert, 土砂災害警戒情報)";

    /// <summary>The label to show with this estimate, wherever it shows.</summary>
    public string Label => LabelJa;

    /// <summary>Which criteria were met, in English.</summary>
    public string ReasonEn { get; init; } = "";

    /// <summary>
    /// The rule (a criterion is reached at or above its value, ≥):
    /// <list type="bullet">
    /// <item>Warning when the soil water index reaches its warning criterion, or when the index reaches its advisory
    /// criterion and 60-minute rain reaches its warning amount (soaked ground under intense rain).</item>
    /// <item>Advisory when either the index or 60-minute rain reaches its advisory value. Intense rain on ground that
    /// is not yet soaked stays Advisory: landslides follow water held in the soil, which is what the index tracks.</item>
    /// <item>None otherwise.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite.</exception>
    public static LocalLandslideEstimate From(double sixtyMinuteMm, double soilWaterIndex, LandslideCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        if (!double.IsFinite(sixtyMinuteMm) || sixtyMinuteMm < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sixtyMinuteMm), sixtyMinuteMm, "60-minute rain must be a finite, non-negative number of mm");
        }

        if (!double.IsFinite(soilWaterIndex) || soilWaterIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(soilWaterIndex), soilWaterIndex, "the soil water index must be a finite, non-negative number");
        }

        var indexWarning = soilWaterIndex >= criteria.SoilWaterIndexWarning;
        var indexAdvisory = soilWaterIndex >= criteria.SoilWaterIndexAdvisory;
        var rainWarning = sixtyMinuteMm >= criteria.SixtyMinuteWarningMm;
        var rainAdvisory = sixtyMinuteMm >= criteria.SixtyMinuteAdvisoryMm;

        var concern = indexWarning || (indexAdvisory && rainWarning) ? LandslideConcern.Warning
            : indexAdvisory || rainAdvisory ? LandslideConcern.Advisory
            : LandslideConcern.None;

        var index = Shown(soilWaterIndex);
        var rain = Shown(sixtyMinuteMm);
        var ja = new List<string>();
        var en = new List<string>();
        if (indexWarning)
        {
            ja.Add($"土壌雨量指数 {index} が警戒の目安 {Shown(criteria.SoilWaterIndexWarning)} 以上");
            en.Add($"soil water index {index} at or above the warning line {Shown(criteria.SoilWaterIndexWarning)}");
        }
        else if (indexAdvisory)
        {
            ja.Add($"土壌雨量指数 {index} が注意の目安 {Shown(criteria.SoilWaterIndexAdvisory)} 以上");
            en.Add($"soil water index {index} at or above the advisory line {Shown(criteria.SoilWaterIndexAdvisory)}");
        }

        if (rainWarning)
        {
            ja.Add($"60分雨量 {rain} mm が警戒の目安 {Shown(criteria.SixtyMinuteWarningMm)} mm 以上");
            en.Add($"60-minute rain {rain} mm at or above the warning line {Shown(criteria.SixtyMinuteWarningMm)} mm");
        }
        else if (rainAdvisory)
        {
            ja.Add($"60分雨量 {rain} mm が注意の目安 {Shown(criteria.SixtyMinuteAdvisoryMm)} mm 以上");
            en.Add($"60-minute rain {rain} mm at or above the advisory line {Shown(criteria.SixtyMinuteAdvisoryMm)} mm");
        }

        if (rainWarning && !indexAdvisory)
        {
            ja.Add($"土壌雨量指数が注意の目安 {Shown(criteria.SoilWaterIndexAdvisory)} 未満のため「注意」");
            en.Add($"soil water index below the advisory line {Shown(criteria.SoilWaterIndexAdvisory)}, so advisory only");
        }

        if (ja.Count == 0)
        {
            ja.Add($"目安に達していません（土壌雨量指数 {index}、60分雨量 {rain} mm）");
            en.Add($"no criterion reached (soil water index {index}, 60-minute rain {rain} mm)");
        }

        return new LocalLandslideEstimate(concern, sixtyMinuteMm, soilWaterIndex, string.Join("、", ja))
        {
            ReasonEn = string.Join("; ", en),
        };
    }

    /// <summary>
    /// Rounded down to 0.1 so a value just under a line never prints as the line itself (96.96 → 96.9, not 97). The inner
    /// rounding keeps binary fractions from pulling an exact decimal down a step (2.3 × 10 = 22.999…96).
    /// </summary>
    private static string Shown(double value) => (Math.Floor(Math.Round(value * 10, 6)) / 10).ToString("0.#", CultureInfo.InvariantCulture);
}
