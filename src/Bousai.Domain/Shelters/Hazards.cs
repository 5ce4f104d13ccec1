namespace Bousai.Domain.Shelters;

/// <summary>The hazards a 指定緊急避難場所 is designated for (災害対策基本法施行令 / GSI data columns).</summary>
public static class Hazards
{
    public const string Flood = "flood";                  // 洪水
    public const string Landslide = "landslide";          // 崖崩れ、土石流及び地滑り
    public const string StormSurge = "storm_surge";       // 高潮
    public const string Earthquake = "earthquake";        // 地震
    public const string Tsunami = "tsunami";              // 津波
    public const string LargeFire = "large_fire";         // 大規模な火事
    public const string InlandFlooding = "inland_flooding"; // 内水氾濫
    public const string Volcano = "volcano";              // 火山現象

    public static readonly IReadOnlyList<string> All =
        [Flood, Landslide, StormSurge, Earthquake, Tsunami, LargeFire, InlandFlooding, Volcano];

    public static bool IsKnown(string code) => All.Contains(code);

    /// <summary>A site not designated for the active hazard must never be suggested for it.</summary>
    public static bool IsDesignatedFor(IEnumerable<string> designatedHazards, string activeHazard) =>
        designatedHazards.Contains(activeHazard);
}
