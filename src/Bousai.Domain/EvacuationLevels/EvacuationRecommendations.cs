using Bousai.Domain.Rivers;

namespace Bousai.Domain.EvacuationLevels;

/// <summary>A river gauge's current stage, with the river it measures (the name the flood zones carry, e.g. 屋代川, and its English name).</summary>
public sealed record RiverGaugeStage(string StationId, string StationNameJa, string? StationNameEn, string River, bool IsCrisisGauge,
    WaterLevelStage Stage, string? RiverEn = null);

/// <summary>
/// An official warning in force for the town, as far as a recommendation needs it. Kind: weather_warning,
/// landslide_alert or river_flood; Condition the telegram's (e.g. 土砂災害、浸水害); Rivers the rivers a 指定河川洪水予報 names.
/// </summary>
public sealed record OfficialWarningInForce(string WarningKey, string Kind, string Name, string? NameEn, string? Condition,
    int? LevelEquivalent, IReadOnlyList<string> Rivers);

/// <summary>
/// What a district is exposed to and what is in force there: the rivers whose flood zones touch it, whether landslide
/// zones touch it, and the level the town has issued (0 when none).
/// </summary>
public sealed record DistrictExposure(string DistrictId, IReadOnlyList<string> FloodRivers, bool HasLandslideZones, int CurrentLevel);

/// <summary>
/// A level the system recommends for a district: one per (district, level, basis). Basis names what it rests on
/// (gauge:{stationId} or official:{warningKey}), so it can be superseded when that goes away.
/// </summary>
public sealed record RecommendedLevel(string DistrictId, int Level, string Basis, string ReasonJa, string ReasonEn);

/// <summary>
/// Which 警戒レベル the system recommends for each district, from the gauges and the official warnings in force. The
/// system only recommends; a person issues (domain guide: levels 3 to 5 are the 本部長's decisions).
/// <list type="bullet">
/// <item>A standard gauge at 氾濫危険水位 → 4 避難指示, at 避難判断水位 → 3 高齢者等避難, for the districts its river's
/// flood zones touch.</item>
/// <item>A crisis gauge (危機管理型水位計) at 危険水位 → 3 高齢者等避難 only: it is one low-cost sensor on a small river with
/// no 避難判断 step before 危険 and no forecast behind it, so the system asks for the step that gives the vulnerable time
/// and leaves 避難指示 to a person who has looked at the river.</item>
/// <item>指定河川洪水予報 (river_flood) for a river: 氾濫警戒 → 3, 氾濫危険 → 4, 氾濫発生 → 5 緊急安全確保, by its 警戒レベル相当,
/// for the districts that river's flood zones touch.</item>
/// <item>土砂災害警戒情報 (and the 2026 土砂災害危険警報; any landslide product at 3相当 or above) → its level, for the
/// districts with landslide zones.</item>
/// <item>大雨特別警報 (浸水害, 5相当) → 5 緊急安全確保 for the districts with flood zones.</item>
/// </list>
/// Nothing is recommended at or below the level in force in a district, and only a district's highest recommended
/// level is kept (a lower one is superseded by it).
/// </summary>
public static class EvacuationRecommendations
{
    public static IReadOnlyList<RecommendedLevel> For(
        IReadOnlyList<DistrictExposure> districts, IReadOnlyList<RiverGaugeStage> gauges, IReadOnlyList<OfficialWarningInForce> warnings)
    {
        var candidates = new List<RecommendedLevel>();
        foreach (var district in districts)
        {
            foreach (var gauge in gauges)
            {
                if (!district.FloodRivers.Contains(gauge.River)) continue;
                if (FromGauge(gauge) is not { } level) continue;
                var (stageJa, stageEn) = StageName(gauge);
                candidates.Add(new RecommendedLevel(district.DistrictId, level, $"gauge:{gauge.StationId}",
                    $"{gauge.River} {gauge.StationNameJa}観測所が{stageJa}に達した。{gauge.River}の浸水想定区域がこの地区にかかる。",
                    $"{gauge.StationNameEn ?? gauge.StationNameJa} gauge on the {gauge.RiverEn ?? gauge.River} has reached {stageEn}; the river's flood zones touch this district."));
            }

            foreach (var warning in warnings)
            {
                if (FromWarning(warning, district) is not { } level) continue;
                candidates.Add(new RecommendedLevel(district.DistrictId, level, $"official:{warning.WarningKey}",
                    $"{warning.Name}（警戒レベル{warning.LevelEquivalent}相当）が発表されている。{Exposure(warning, district).Ja}",
                    $"{warning.NameEn ?? warning.Name} (equivalent to alert level {warning.LevelEquivalent}) is in force. {Exposure(warning, district).En}"));
            }
        }

        return candidates
            .GroupBy(c => c.DistrictId)
            .SelectMany(d =>
            {
                var current = districts.First(x => x.DistrictId == d.Key).CurrentLevel;
                var highest = d.Max(c => c.Level);
                return highest <= current ? [] : d.Where(c => c.Level == highest).DistinctBy(c => c.Basis);
            })
            .ToList();
    }

    private static int? FromGauge(RiverGaugeStage gauge) => (gauge.IsCrisisGauge, gauge.Stage) switch
    {
        (true, WaterLevelStage.Danger) => 3,
        (false, WaterLevelStage.Danger) => 4,
        (false, WaterLevelStage.Evacuation) => 3,
        _ => null,
    };

    private static (string Ja, string En) StageName(RiverGaugeStage gauge) => gauge.Stage switch
    {
        WaterLevelStage.Danger when gauge.IsCrisisGauge => ("危険水位", "its danger level"),
        WaterLevelStage.Danger => ("氾濫危険水位", "the flood danger level (氾濫危険水位)"),
        _ => ("避難判断水位", "the evacuation decision level (避難判断水位)"),
    };

    private static bool IsLandslide(OfficialWarningInForce warning) =>
        warning.Kind == "landslide_alert" || warning.Name.StartsWith("土砂災害", StringComparison.Ordinal)
        || (warning.Kind == "weather_warning" && warning.Condition?.Contains("土砂災害") == true);

    private static int? FromWarning(OfficialWarningInForce warning, DistrictExposure district)
    {
        if (warning.LevelEquivalent is not (>= 3 and <= 5) || warning.LevelEquivalent is not { } level) return null;
        return warning.Kind switch
        {
            "river_flood" when warning.Rivers.Any(district.FloodRivers.Contains) => level,
            _ when IsLandslide(warning) && district.HasLandslideZones => level,
            "weather_warning" when level == 5 && !IsLandslide(warning) && district.FloodRivers.Count > 0 => level,
            _ => null,
        };
    }

    private static (string Ja, string En) Exposure(OfficialWarningInForce warning, DistrictExposure district) => warning.Kind switch
    {
        "river_flood" => ($"{string.Join("・", warning.Rivers.Where(district.FloodRivers.Contains))}の浸水想定区域がこの地区にかかる。",
            "The river's flood zones touch this district."),
        _ when IsLandslide(warning) => ("この地区に土砂災害警戒区域がある。", "This district has landslide hazard zones."),
        _ => ("この地区に浸水想定区域がある。", "This district has flood zones."),
    };
}
