using Bousai.Server.Cap;

namespace Bousai.Server.Tests.Cap;

/// <summary>Which messages the feed sends as items appear, change, stay the same, end and come back.</summary>
public sealed class CapPlanTests
{
    private static readonly CapOptions Options = new();
    private static readonly DateTimeOffset Now = new(2026, 7, 14, 5, 0, 0, TimeSpan.Zero);

    private static CapItem Level(string district, int level, long? drill = null) =>
        CapItems.District(new DistrictLevelRow(district, district, district, level, Now, "理由", drill), []);

    [Fact]
    public void Nothing_changed_sends_nothing()
    {
        var first = CapPlan.Next([Level("a", 4), Level("b", 3)], [], Now, Options);
        Assert.Equal(2, first.Count);

        Assert.Empty(CapPlan.Next([Level("a", 4), Level("b", 3)], first, Now.AddMinutes(1), Options));
    }

    [Fact]
    public void An_item_back_after_its_cancel_is_a_new_alert_numbered_on()
    {
        var alert = Assert.Single(CapPlan.Next([Level("a", 4)], [], Now, Options));
        var cancel = Assert.Single(CapPlan.Next([], [alert], Now.AddMinutes(1), Options));
        var again = Assert.Single(CapPlan.Next([Level("a", 3)], [cancel], Now.AddMinutes(2), Options));

        Assert.Equal(CapMsgType.Alert, again.MsgType);
        Assert.Null(again.References);
        Assert.Equal("urn:bousai:takahata:district-level:a:3", again.Identifier);
        Assert.Empty(CapPlan.Next([], [cancel], Now.AddMinutes(2), Options));
    }

    [Fact]
    public void A_drill_item_lives_beside_the_real_one_and_only_it_is_cancelled_when_the_drill_ends()
    {
        var during = CapPlan.Next([Level("a", 3), Level("a", 5, drill: 2)], [], Now, Options);
        Assert.Equal(CapStatus.Actual, during.Single(m => m.ItemKey == "district-level:a").Status);
        Assert.Equal(CapStatus.Exercise, during.Single(m => m.ItemKey == "drill-2:district-level:a").Status);

        var after = Assert.Single(CapPlan.Next([Level("a", 3)], during, Now.AddMinutes(5), Options));

        Assert.Equal(CapMsgType.Cancel, after.MsgType);
        Assert.Equal(CapStatus.Exercise, after.Status);
        Assert.Equal("drill-2:district-level:a", after.ItemKey);
    }

    [Fact]
    public void A_changed_reason_or_level_is_an_update_of_the_same_item()
    {
        var alert = Assert.Single(CapPlan.Next([Level("a", 3)], [], Now, Options));
        var update = Assert.Single(CapPlan.Next([Level("a", 4)], [alert], Now.AddMinutes(1), Options));

        Assert.Equal(CapMsgType.Update, update.MsgType);
        Assert.Equal(alert.ItemKey, update.ItemKey);
        Assert.Equal(alert.AsReference(), update.References);
    }
}
