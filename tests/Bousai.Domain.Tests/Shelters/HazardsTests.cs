using Bousai.Domain.Shelters;

namespace Bousai.Domain.Tests.Shelters;

public sealed class HazardsTests
{
    [Theory]
    [InlineData(new[] { "flood", "landslide", "earthquake" }, "flood", true)]
    // 町営第二体育館: landslide only, so never suggested in a flood.
    [InlineData(new[] { "landslide" }, "flood", false)]
    [InlineData(new[] { "landslide" }, "landslide", true)]
    [InlineData(new string[0], "earthquake", false)]
    public void A_site_is_suggested_only_for_hazards_it_is_designated_for(string[] designated, string active, bool expected) =>
        Assert.Equal(expected, Hazards.IsDesignatedFor(designated, active));

    [Theory]
    [InlineData("flood", true)]
    [InlineData("inland_flooding", true)]
    [InlineData("洪水", false)]
    [InlineData("Flood", false)]
    public void Only_the_eight_designation_codes_are_known(string code, bool known) => Assert.Equal(known, Hazards.IsKnown(code));
}
