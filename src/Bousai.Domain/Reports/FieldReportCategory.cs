namespace Bousai.Domain.Reports;

/// <summary>What a field crew saw: 冠水・浸水, 土砂崩れ, 道路通行止め, 建物被害, 負傷者・要救助, 河川の異常, その他.</summary>
public enum FieldReportCategory
{
    Flooding,
    Landslide,
    RoadBlocked,
    BuildingDamage,
    RescueNeeded,
    RiverAnomaly,
    Other,
}

/// <summary>How bad it is, in three steps that order: 軽微 (minor) &lt; 重大 (serious) &lt; 緊急 (critical: lives at risk).</summary>
public enum FieldReportSeverity
{
    Minor,
    Serious,
    Critical,
}
