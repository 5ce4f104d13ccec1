namespace Bousai.Domain.Alerts;

/// <summary>
/// Where one rule family (one station, one kind) stands: a plain record the server stores as one row per family, so it
/// survives a restart. Intended use with several server instances: in one transaction, lock the family's row
/// (<c>SELECT … FOR UPDATE</c>), evaluate, then write the new state together with the alert change the decision
/// asks for. <see cref="ThresholdRules.Evaluate"/> is deterministic, ignores observations older than
/// <see cref="LastObservedAt"/> and decides nothing when the same observation comes again, so the instance that
/// takes the lock second sees the first one's state and the same crossing raises one alert, not one per instance.
/// A server that cannot lock may instead compare <see cref="LastObservedAt"/> and the other fields on write
/// (compare-and-swap) and evaluate again on a mismatch.
/// </summary>
public sealed record ThresholdRuleState
{
    public static ThresholdRuleState Initial { get; } = new();

    /// <summary>The step of the alert in force; None when there is none. It is the highest step reached since the
    /// alert was raised: a falling level does not lower it (see <see cref="ThresholdRules"/>).</summary>
    public ThresholdStep Raised { get; init; } = ThresholdStep.None;

    /// <summary>When the alert in force was raised; null when there is none.</summary>
    public DateTimeOffset? RaisedAt { get; init; }

    /// <summary>
    /// Element i: since when the value has been at or above step i of the rule without a break (the steps nest, so
    /// the times never decrease). The count is how many steps the latest known value reaches.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> ReachedSince { get; init; } = [];

    /// <summary>Since when the value has stayed on the clear side of the rule while an alert is in force.</summary>
    public DateTimeOffset? ClearSideSince { get; init; }

    /// <summary>The time of the latest observation taken into account; older ones are ignored.</summary>
    public DateTimeOffset? LastObservedAt { get; init; }
}
