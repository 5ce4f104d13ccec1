using Bousai.Domain.Alerts;

namespace Bousai.Domain.Tests.Alerts;

public sealed class EvacuationLevelTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    [InlineData(-1, false)]
    public void Town_issues_levels_3_to_5_or_lifts_them(int level, bool issuable) =>
        Assert.Equal(issuable, EvacuationLevel.CanBeIssuedByTown(level));

    [Theory]
    [InlineData(AlertStatus.Raised, true, true)]
    [InlineData(AlertStatus.Acknowledged, false, true)]
    [InlineData(AlertStatus.Cleared, false, false)]
    public void Alert_is_acknowledged_once_and_cleared_once(AlertStatus current, bool canAcknowledge, bool canClear)
    {
        Assert.Equal(canAcknowledge, AlertLifecycle.CanAcknowledge(current));
        Assert.Equal(canClear, AlertLifecycle.CanClear(current));
    }
}
