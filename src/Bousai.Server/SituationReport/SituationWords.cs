using Bousai.Domain.Reports;
using Bousai.Domain.Rivers;
using Bousai.Domain.Shelters;
using SkiaSharp;

namespace Bousai.Server.SituationReport;

/// <summary>
/// The words and colours of the situation report and its map: the web client's (web/src/core/messages.ts and
/// web/src/core/layers/*.ts), so paper and screen say and show the same. Every colour comes with a word or a shape.
/// </summary>
public static class SituationWords
{
    public static string Level(int level) => level switch
    {
        3 => "警戒レベル3 高齢者等避難",
        4 => "警戒レベル4 避難指示",
        5 => "警戒レベル5 緊急安全確保",
        _ => "発令なし",
    };

    public static string LevelShort(int level) => level is 3 or 4 or 5 ? $"Lv{level} {Level(level)[7..]}" : "発令なし";

    public static string Band(CrowdingBand band) => band switch
    {
        CrowdingBand.Closed => "閉鎖",
        CrowdingBand.Available => "空いています",
        CrowdingBand.SomewhatCrowded => "やや混雑",
        CrowdingBand.Crowded => "混雑",
        CrowdingBand.Full => "満",
        _ => "混雑状況 不明",
    };

    public static string Stage(WaterLevelStage? stage) => stage switch
    {
        WaterLevelStage.Normal => "平常",
        WaterLevelStage.Observing => "観測中",
        WaterLevelStage.Standby => "水防団待機",
        WaterLevelStage.Caution => "氾濫注意",
        WaterLevelStage.Evacuation => "避難判断",
        WaterLevelStage.Danger => "氾濫危険",
        _ => "欠測",
    };

    public static string Category(FieldReportCategory category) => category switch
    {
        FieldReportCategory.Flooding => "冠水・浸水",
        FieldReportCategory.Landslide => "土砂崩れ",
        FieldReportCategory.RoadBlocked => "道路通行止め",
        FieldReportCategory.BuildingDamage => "建物被害",
        FieldReportCategory.RescueNeeded => "負傷者・要救助",
        FieldReportCategory.RiverAnomaly => "河川の異常",
        _ => "その他",
    };

    /// <summary>The one character written inside a report's symbol, so its category never rests on colour.</summary>
    public static string CategoryMark(FieldReportCategory category) => category switch
    {
        FieldReportCategory.Flooding => "水",
        FieldReportCategory.Landslide => "土",
        FieldReportCategory.RoadBlocked => "通",
        FieldReportCategory.BuildingDamage => "建",
        FieldReportCategory.RescueNeeded => "救",
        FieldReportCategory.RiverAnomaly => "川",
        _ => "他",
    };

    public static string Status(FieldReportStatus status) => status switch
    {
        FieldReportStatus.New => "新規",
        FieldReportStatus.Verified => "確認済み",
        FieldReportStatus.InProgress => "対応中",
        FieldReportStatus.Resolved => "解決",
        FieldReportStatus.Rejected => "却下",
        _ => "重複",
    };

    /// <summary>Outside the town.</summary>
    public static readonly SKColor Outside = SKColor.Parse("#e3e8ec");

    /// <summary>A district's fill by its level: opaque tints of the colours residents know (3 red, 4 purple, 5 black), plain land when none.</summary>
    public static SKColor LevelFill(int level) => level switch
    {
        3 => SKColor.Parse("#ffcfc4"),
        4 => SKColor.Parse("#e8bfe8"),
        5 => SKColor.Parse("#8a7f8a"),
        _ => SKColor.Parse("#f6f4ee"),
    };

    /// <summary>A district's rim and the background of its level label (white text sits on it).</summary>
    public static SKColor LevelLine(int level) => level switch
    {
        3 => SKColor.Parse("#c41a00"),
        4 => SKColor.Parse("#8e008e"),
        5 => SKColor.Parse("#0c000c"),
        _ => SKColor.Parse("#6a3d9a"),
    };

    public static SKColor BandColour(CrowdingBand band) => band switch
    {
        CrowdingBand.Available => SKColor.Parse("#1b7a36"),
        CrowdingBand.SomewhatCrowded => SKColor.Parse("#8a5a00"),
        CrowdingBand.Crowded => SKColor.Parse("#b34700"),
        CrowdingBand.Full => SKColor.Parse("#b00020"),
        CrowdingBand.Closed => SKColor.Parse("#6b6b6b"),
        _ => SKColor.Parse("#3f5563"),
    };

    /// <summary>A gauge's fill and the colour of what is written on it, by stage (web/src/core/stations/stationFacts.ts); null stage = no data.</summary>
    public static (SKColor Fill, SKColor Text) StageColours(WaterLevelStage? stage) => stage switch
    {
        WaterLevelStage.Normal => (SKColor.Parse("#1565c0"), SKColors.White),
        WaterLevelStage.Observing or WaterLevelStage.Standby => (SKColor.Parse("#9fd8f6"), SKColor.Parse("#1a1a1a")),
        WaterLevelStage.Caution => (SKColor.Parse("#ffe600"), SKColor.Parse("#1a1a1a")),
        WaterLevelStage.Evacuation => (SKColor.Parse("#c41a00"), SKColors.White),
        WaterLevelStage.Danger => (SKColor.Parse("#8e008e"), SKColors.White),
        _ => (SKColors.White, SKColor.Parse("#4a4a4a")),
    };

    public static readonly SKColor RainGauge = SKColor.Parse("#00695c");

    public static SKColor CategoryColour(FieldReportCategory category) => category switch
    {
        FieldReportCategory.Flooding => SKColor.Parse("#1e5fb4"),
        FieldReportCategory.Landslide => SKColor.Parse("#8a4a0f"),
        FieldReportCategory.RoadBlocked => SKColor.Parse("#c43c0e"),
        FieldReportCategory.BuildingDamage => SKColor.Parse("#5d4037"),
        FieldReportCategory.RescueNeeded => SKColor.Parse("#b71c1c"),
        FieldReportCategory.RiverAnomaly => SKColor.Parse("#00737d"),
        _ => SKColor.Parse("#455a64"),
    };
}
