namespace Bousai.Domain.Alerts;

/// <summary>An HQ alert is raised, then acknowledged by a staff member, then cleared. Cleared is final.</summary>
public enum AlertStatus
{
    Raised,
    Acknowledged,
    Cleared,
}

public static class AlertLifecycle
{
    public static bool CanAcknowledge(AlertStatus current) => current == AlertStatus.Raised;

    /// <summary>An alert may be cleared without being acknowledged first (a false alarm seen by everyone at once).</summary>
    public static bool CanClear(AlertStatus current) => current != AlertStatus.Cleared;
}
