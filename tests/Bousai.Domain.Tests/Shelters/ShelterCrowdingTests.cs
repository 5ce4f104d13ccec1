using Bousai.Domain.Shelters;
using static Bousai.Domain.Shelters.CrowdingBand;

namespace Bousai.Domain.Tests.Shelters;

public sealed class ShelterCrowdingTests
{
    [Theory]
    [InlineData(false, 0, 100, false, Closed)]
    [InlineData(false, 50, 100, true, Closed)]
    [InlineData(true, 0, 100, false, Available)]
    [InlineData(true, 29, 100, false, Available)]
    [InlineData(true, 30, 100, false, SomewhatCrowded)]
    [InlineData(true, 59, 100, false, SomewhatCrowded)]
    [InlineData(true, 60, 100, false, Crowded)]
    [InlineData(true, 79, 100, false, Crowded)]
    [InlineData(true, 80, 100, false, Full)]
    [InlineData(true, 150, 100, false, Full)]
    [InlineData(true, 130, 100, false, Full)]
    [InlineData(true, 0, 100, true, Full)]
    [InlineData(true, 89, 297, false, Available)]
    [InlineData(true, 90, 297, false, SomewhatCrowded)]
    [InlineData(true, 10, null, false, Unknown)]
    [InlineData(true, 10, 0, false, Unknown)]
    [InlineData(true, 10, null, true, Full)]
    public void Band_follows_the_share_of_capacity_and_staff_can_declare_full(bool open, int occupancy, int? capacity, bool declaredFull, CrowdingBand expected) =>
        Assert.Equal(expected, ShelterCrowding.Band(open, occupancy, capacity, declaredFull));

    [Theory]
    [InlineData(130, 100, 130)]
    [InlineData(29, 100, 29)]
    [InlineData(1, 3, 33)]
    [InlineData(10, null, null)]
    [InlineData(10, 0, null)]
    public void Over_capacity_is_kept_never_clamped(int occupancy, int? capacity, int? percent) =>
        Assert.Equal(percent, ShelterCrowding.Percent(occupancy, capacity));

    [Fact]
    public void Negative_head_count_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShelterCrowding.Band(true, -1, 100, false));
}
