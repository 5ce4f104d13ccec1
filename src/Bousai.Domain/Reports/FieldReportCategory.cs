namespace Bousai.Domain.Reports;

/// <summary>What a field crew saw.</summary>
public enum FieldReportCategory
{
    Flooding,
    Landslide,
    RoadBlocked,
    BuildingDamage,
    RescueNeeded,
    Other,
}

/// <summary>Where HQ is with a report.</summary>
public enum FieldReportStatus
{
    New,
    InProgress,
    Resolved,
}
