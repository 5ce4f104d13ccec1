using Bousai.Domain.EvacuationLevels;
using Bousai.Domain.Rivers;

namespace Bousai.Domain.Tests.EvacuationLevels;

/// <summary>
/// The town as the illustrative geodata draws it: 屋代川's flood zones touch 屋代 and 高畠, 最上川's 糠野目, 和田川's 和田;
/// landslide zones lie in 二井宿 and 和田. Each case gives the gauges and warnings in force ("name:kind:level[:rivers]")
/// and the recommendations expected ("district=level@basis").
/// </summary>
public sealed class EvacuationRecommendationsTests
{
    private static IReadOnlyList<DistrictExposure> Town(params (string District, int Level)[] inForce)
    {
        int Level(string id) => inForce.FirstOrDefault(x => x.District == id).Level;
        return
        [
            new("yashiro", ["屋代川"], false, Level("yashiro")),
            new("takahata", ["屋代川"], false, Level("takahata")),
            new("nukanome", ["最上川"], false, Level("nukanome")),
            new("wada", ["和田川"], true, Level("wada")),
            new("niijuku", [], true, Level("niijuku")),
            new("kameoka", [], false, Level("kameoka")),
        ];
    }

    private static RiverGaugeStage Nakahashi(WaterLevelStage stage) => new("nakahashi", "中橋", "Nakahashi", "屋代川", false, stage, "Yashiro River");

    private static RiverGaugeStage Natsumo(WaterLevelStage stage) => new("natsumo", "夏茂", "Natsumo", "和田川", true, stage);

    private static OfficialWarningInForce Warning(string spec)
    {
        var parts = spec.Split(':');
        return new OfficialWarningInForce(parts[0], parts[1], parts[0], null, parts[1] == "weather_warning" && parts[0].Contains("土砂") ? "土砂災害" : null,
            int.Parse(parts[2]), parts.Length > 3 ? parts[3].Split(',') : []);
    }

    private static string Describe(IEnumerable<RecommendedLevel> recommendations) =>
        string.Join(" ", recommendations.Select(r => $"{r.DistrictId}={r.Level}@{r.Basis}").Order());

    public static TheoryData<string, WaterLevelStage?, WaterLevelStage?, string, string> Cases => new()
    {
        { "nothing high", WaterLevelStage.Caution, WaterLevelStage.Observing, "", "" },
        { "屋代川 at 氾濫危険 → 避難指示 where its flood zones are", WaterLevelStage.Danger, null, "",
            "takahata=4@gauge:nakahashi yashiro=4@gauge:nakahashi" },
        { "屋代川 at 避難判断 → 高齢者等避難", WaterLevelStage.Evacuation, null, "", "takahata=3@gauge:nakahashi yashiro=3@gauge:nakahashi" },
        { "crisis gauge at 危険 → 高齢者等避難 only", null, WaterLevelStage.Danger, "", "wada=3@gauge:natsumo" },
        { "土砂災害警戒情報 → 避難指示 where landslide zones are", null, null, "土砂災害警戒情報:landslide_alert:4",
            "niijuku=4@official:土砂災害警戒情報 wada=4@official:土砂災害警戒情報" },
        { "2026 name 土砂災害危険警報 → the same", null, null, "土砂災害危険警報:landslide_alert:4",
            "niijuku=4@official:土砂災害危険警報 wada=4@official:土砂災害危険警報" },
        { "大雨警報（土砂災害） → 高齢者等避難 where landslide zones are", null, null, "大雨警報（土砂災害）:weather_warning:3",
            "niijuku=3@official:大雨警報（土砂災害） wada=3@official:大雨警報（土砂災害）" },
        { "大雨特別警報 → 緊急安全確保 where flood zones are", null, null, "大雨特別警報:weather_warning:5",
            "nukanome=5@official:大雨特別警報 takahata=5@official:大雨特別警報 wada=5@official:大雨特別警報 yashiro=5@official:大雨特別警報" },
        { "氾濫危険情報 for 最上川 → 避難指示 for 糠野目", null, null, "氾濫危険情報:river_flood:4:最上川", "nukanome=4@official:氾濫危険情報" },
        { "氾濫発生情報 for 屋代川 → 緊急安全確保 over the gauge's 避難指示", WaterLevelStage.Danger, null, "氾濫発生情報:river_flood:5:屋代川",
            "takahata=5@official:氾濫発生情報 yashiro=5@official:氾濫発生情報" },
        { "氾濫危険情報 and the gauge agree: two bases at 4", WaterLevelStage.Danger, null, "氾濫危険情報:river_flood:4:屋代川",
            "takahata=4@gauge:nakahashi takahata=4@official:氾濫危険情報 yashiro=4@gauge:nakahashi yashiro=4@official:氾濫危険情報" },
        { "a warning with no 警戒レベル相当 recommends nothing", null, null, "大雨警報:weather_warning:2", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recommends_levels_from_gauges_and_official_warnings(string _, WaterLevelStage? nakahashi, WaterLevelStage? natsumo,
        string warnings, string expected)
    {
        var gauges = new List<RiverGaugeStage>();
        if (nakahashi is { } n) gauges.Add(Nakahashi(n));
        if (natsumo is { } c) gauges.Add(Natsumo(c));
        var inForce = warnings.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Warning).ToList();

        Assert.Equal(expected, Describe(EvacuationRecommendations.For(Town(), gauges, inForce)));
    }

    [Theory]
    [InlineData(3, "takahata=4@gauge:nakahashi yashiro=4@gauge:nakahashi")]
    [InlineData(4, "takahata=4@gauge:nakahashi")]
    [InlineData(5, "takahata=4@gauge:nakahashi")]
    public void Nothing_is_recommended_at_or_below_the_level_in_force(int yashiroInForce, string expected) =>
        Assert.Equal(expected, Describe(EvacuationRecommendations.For(Town(("yashiro", yashiroInForce)), [Nakahashi(WaterLevelStage.Danger)], [])));

    [Fact]
    public void Reason_names_the_gauge_and_the_stage_in_both_languages()
    {
        var recommendation = EvacuationRecommendations.For(Town(), [Nakahashi(WaterLevelStage.Danger)], []).First(r => r.DistrictId == "yashiro");

        Assert.Contains("中橋観測所が氾濫危険水位に達した", recommendation.ReasonJa);
        Assert.Contains("Nakahashi gauge on the Yashiro River has reached the flood danger level", recommendation.ReasonEn);
    }
}
