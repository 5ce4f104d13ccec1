using Bousai.Domain.EvacuationLevels;

namespace Bousai.Domain.Tests.EvacuationLevels;

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
}
