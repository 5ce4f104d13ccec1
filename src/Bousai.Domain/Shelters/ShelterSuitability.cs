namespace Bousai.Domain.Shelters;

/// <summary>
/// The hazards happening now. FloodRivers: the rivers (by their Japanese name, as the flood zones name them) with a
/// gauge at or above 避難判断水位; FloodDeclared: HQ declared a flood (every river counts); Landslide: the local estimate
/// says warning, or HQ declared it.
/// </summary>
public sealed record ActiveHazards(IReadOnlyCollection<string> FloodRivers, bool FloodDeclared, bool Landslide)
{
    public static ActiveHazards None { get; } = new([], false, false);

    public bool Flood => FloodDeclared || FloodRivers.Count > 0;

    public bool Any => Flood || Landslide;
}

/// <summary>Where a shelter stands: its designations and the hazard zones (found by PostGIS) that contain it.</summary>
public sealed record ShelterSite(IReadOnlyCollection<string> DesignatedHazards, ShelterKind Kind, IReadOnlyCollection<RiverName> FloodZoneRivers, bool InLandslideZone);

/// <summary>A river's names; Ja is its key (gauges and flood zones name their river in Japanese).</summary>
public sealed record RiverName(string Ja, string En);

/// <summary>Why a shelter is not suitable now, in words for HQ and residents.</summary>
public sealed record SuitabilityReason(string Code, string Ja, string En);

/// <summary>Whether a shelter may be suggested now, and whether people can stay there (false: a place to flee to only).</summary>
public sealed record ShelterSuitability(bool Suitable, bool PlaceToStay, IReadOnlyList<SuitabilityReason> Reasons)
{
    public const string NotDesignated = "not_designated";
    public const string InFloodZone = "in_flood_zone";
    public const string InLandslideZone = "in_landslide_zone";
    public const string FleeOnly = "flee_only";

    /// <summary>
    /// The rules: with no hazard active every shelter is suitable. For each active hazard, a shelter not designated for
    /// it, or inside that hazard's zone (for floods, the zone of a river whose gauge is high, or of any river when HQ
    /// declared a flood), is not suitable. An emergency site that is not a 指定避難所 stays suggestible as a place to flee.
    /// </summary>
    public static ShelterSuitability Of(ShelterSite site, ActiveHazards active)
    {
        var reasons = new List<SuitabilityReason>();
        if (active.Flood)
        {
            if (!Hazards.IsDesignatedFor(site.DesignatedHazards, Hazards.Flood))
            {
                reasons.Add(new SuitabilityReason(NotDesignated, "洪水の指定なし", "Not designated for floods"));
            }

            foreach (var river in site.FloodZoneRivers.Where(r => active.FloodDeclared || active.FloodRivers.Contains(r.Ja))
                         .DistinctBy(r => r.Ja).OrderBy(r => r.Ja, StringComparer.Ordinal))
            {
                reasons.Add(new SuitabilityReason(InFloodZone, $"{river.Ja}の浸水想定区域内", $"Inside the {river.En} inundation zone"));
            }
        }

        if (active.Landslide)
        {
            if (!Hazards.IsDesignatedFor(site.DesignatedHazards, Hazards.Landslide))
            {
                reasons.Add(new SuitabilityReason(NotDesignated, "土砂災害の指定なし", "Not designated for landslides"));
            }

            if (site.InLandslideZone)
            {
                reasons.Add(new SuitabilityReason(InLandslideZone, "土砂災害警戒区域内", "Inside a landslide warning zone"));
            }
        }

        var placeToStay = ShelterKinds.IsPlaceToStay(site.Kind);
        var suitable = reasons.Count == 0;
        if (suitable && !placeToStay)
        {
            reasons.Add(new SuitabilityReason(FleeOnly, "一時的に避難する場所（滞在はできません）", "A place to flee to for a while (no stay)"));
        }

        return new ShelterSuitability(suitable, placeToStay, reasons);
    }
}
