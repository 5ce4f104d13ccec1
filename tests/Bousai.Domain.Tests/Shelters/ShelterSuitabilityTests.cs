using Bousai.Domain.Shelters;

namespace Bousai.Domain.Tests.Shelters;

public sealed class ShelterSuitabilityTests
{
    private static readonly RiverName Yashiro = new("屋代川", "Yashiro River");
    private static readonly RiverName Mogami = new("最上川", "Mogami River");

    public static TheoryData<string, ShelterSite, ActiveHazards, bool, bool, string[]> Cases => new()
    {
        { "no hazard: a shelter inside a zone and undesignated is still suitable",
            new ShelterSite([], ShelterKind.Both, [Yashiro], true), ActiveHazards.None, true, true, [] },
        { "flood on the Yashiro: designated and outside every zone",
            new ShelterSite([Hazards.Flood], ShelterKind.Both, [], false), new ActiveHazards(["屋代川"], false, false), true, true, [] },
        { "flood on the Yashiro: inside the Yashiro zone",
            new ShelterSite([Hazards.Flood], ShelterKind.Both, [Yashiro], false), new ActiveHazards(["屋代川"], false, false), false, true, ["in_flood_zone:屋代川の浸水想定区域内"] },
        { "flood on the Yashiro: inside only the Mogami zone, whose gauge is low",
            new ShelterSite([Hazards.Flood], ShelterKind.Both, [Mogami], false), new ActiveHazards(["屋代川"], false, false), true, true, [] },
        { "flood declared by HQ: every river's zone counts",
            new ShelterSite([Hazards.Flood], ShelterKind.EvacuationShelter, [Mogami], false), new ActiveHazards([], true, false), false, true, ["in_flood_zone:最上川の浸水想定区域内"] },
        { "flood: not designated for floods",
            new ShelterSite([Hazards.Earthquake], ShelterKind.Both, [], false), new ActiveHazards(["最上川"], false, false), false, true, ["not_designated:洪水の指定なし"] },
        { "flood: undesignated and inside the zone gives both reasons",
            new ShelterSite([], ShelterKind.Both, [Yashiro], false), new ActiveHazards(["屋代川"], false, false), false, true,
            ["not_designated:洪水の指定なし", "in_flood_zone:屋代川の浸水想定区域内"] },
        { "landslide: inside a landslide zone",
            new ShelterSite([Hazards.Flood, Hazards.Landslide], ShelterKind.Both, [], true), new ActiveHazards([], false, true), false, true, ["in_landslide_zone:土砂災害警戒区域内"] },
        { "landslide: a flood zone does not matter",
            new ShelterSite([Hazards.Landslide], ShelterKind.Both, [Yashiro], false), new ActiveHazards([], false, true), true, true, [] },
        { "landslide: not designated for it",
            new ShelterSite([Hazards.Flood], ShelterKind.Both, [], false), new ActiveHazards([], false, true), false, true, ["not_designated:土砂災害の指定なし"] },
        { "flood: an emergency site only is a place to flee, not to stay",
            new ShelterSite([Hazards.Flood], ShelterKind.EmergencySite, [], false), new ActiveHazards(["屋代川"], false, false), true, false,
            ["flee_only:一時的に避難する場所（滞在はできません）"] },
        { "no hazard: an emergency site only is still only a place to flee",
            new ShelterSite([], ShelterKind.EmergencySite, [], false), ActiveHazards.None, true, false, ["flee_only:一時的に避難する場所（滞在はできません）"] },
        { "flood: an unsuitable emergency site is not offered as a place to flee",
            new ShelterSite([Hazards.Flood], ShelterKind.EmergencySite, [Yashiro], false), new ActiveHazards(["屋代川"], false, false), false, false,
            ["in_flood_zone:屋代川の浸水想定区域内"] },
        { "flood: a welfare shelter is a place to stay",
            new ShelterSite([Hazards.Flood], ShelterKind.Welfare, [], false), new ActiveHazards(["屋代川"], false, false), true, true, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Suitability_follows_designations_zones_and_active_hazards(string @case, ShelterSite site, ActiveHazards active,
        bool suitable, bool placeToStay, string[] reasons)
    {
        var result = ShelterSuitability.Of(site, active);
        Assert.True(suitable == result.Suitable, @case);
        Assert.Equal(placeToStay, result.PlaceToStay);
        Assert.Equal(reasons, result.Reasons.Select(r => $"{r.Code}:{r.Ja}"));
    }

    [Fact]
    public void Flood_zone_reason_names_the_river_in_english_too()
    {
        var result = ShelterSuitability.Of(new ShelterSite([Hazards.Flood], ShelterKind.Both, [Yashiro], false), new ActiveHazards(["屋代川"], false, false));
        Assert.Equal("Inside the Yashiro River inundation zone", Assert.Single(result.Reasons).En);
    }

    [Theory]
    [InlineData(ShelterKind.EmergencySite, false)]
    [InlineData(ShelterKind.EvacuationShelter, true)]
    [InlineData(ShelterKind.Both, true)]
    [InlineData(ShelterKind.Welfare, true)]
    public void Only_an_emergency_site_alone_is_no_place_to_stay(ShelterKind kind, bool placeToStay) =>
        Assert.Equal(placeToStay, ShelterKinds.IsPlaceToStay(kind));
}
