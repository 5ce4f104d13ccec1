namespace Bousai.Domain.Rivers;

/// <summary>
/// Where a water level stands against its station's own 基準水位. A level at or above a threshold has reached it
/// (≥); when a station defines only some thresholds, the highest one reached wins.
/// </summary>
public enum WaterLevelStage
{
    /// <summary>Below every threshold the station defines (for a crisis gauge: below 観測開始水位).</summary>
    Normal,

    /// <summary>Crisis gauge (危機管理型水位計) at or above 観測開始水位 but below 危険水位: it now reports every 10 minutes.</summary>
    Observing,

    /// <summary>At or above 水防団待機水位.</summary>
    Standby,

    /// <summary>At or above 氾濫注意水位 (氾濫注意情報 on forecast rivers, 警戒レベル2相当).</summary>
    Caution,

    /// <summary>At or above 避難判断水位 (氾濫警戒情報 on forecast rivers, 警戒レベル3相当).</summary>
    Evacuation,

    /// <summary>At or above 氾濫危険水位, or a crisis gauge's 危険水位 (警戒レベル4相当).</summary>
    Danger,
}

public static class WaterLevelStages
{
    /// <summary>
    /// 警戒レベル相当 of a stage, from the table of 基準水位 in the domain guide: 氾濫注意 → 2, 避難判断 → 3, 氾濫危険 → 4
    /// (a crisis gauge's 危険水位 → 4 as well). Normal, Observing and Standby carry no level: null.
    /// Level 5 (氾濫発生) is a report of flooding, not a water level, so no stage maps to it.
    /// </summary>
    public static int? AlertLevelEquivalent(WaterLevelStage stage) => stage switch
    {
        WaterLevelStage.Caution => 2,
        WaterLevelStage.Evacuation => 3,
        WaterLevelStage.Danger => 4,
        _ => null,
    };
}
