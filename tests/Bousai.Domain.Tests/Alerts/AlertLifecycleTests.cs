using Bousai.Domain.Alerts;

namespace Bousai.Domain.Tests.Alerts;

public sealed class AlertLifecycleTests
{
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
