using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bousai.Server.Cap;

/// <summary>What a CAP item is: a district's 警戒レベル, an official (JMA) warning, or an alert the system raised from a gauge.</summary>
public enum CapItemKind
{
    DistrictLevel,
    OfficialWarning,
    SystemAlert,
}

/// <summary>
/// One area of an item: its description in Japanese and English, its polygons as CAP wants them ("lat,lon" pairs,
/// closed rings) and its geocodes (JMA area codes).
/// </summary>
public sealed record CapArea(string DescJa, string DescEn, IReadOnlyList<string> Polygons, IReadOnlyList<CapGeocode> Geocodes);

public sealed record CapGeocode(string ValueName, string Value);

/// <summary>
/// Something residents must hear about, as the feed tells it: one item lives through Alert, Updates and a Cancel. Its
/// <see cref="Key"/> is stable for the item's life (it names the message identifiers); its content decides whether
/// the feed must send an Update. <see cref="Subkind"/> is the item's own kind in the domain's words (district_level;
/// weather_warning, landslide_alert, river_flood; water_level, rain, landslide).
/// </summary>
public sealed record CapItem
{
    public required string Key { get; init; }
    public required CapItemKind Kind { get; init; }
    public required string Subkind { get; init; }
    /// <summary>警戒レベル or 警戒レベル相当 (1–5), null when the item has none.</summary>
    public int? Level { get; init; }
    public required string EventJa { get; init; }
    public required string EventEn { get; init; }
    public required string HeadlineJa { get; init; }
    public required string HeadlineEn { get; init; }
    public required string DescriptionJa { get; init; }
    public required string DescriptionEn { get; init; }
    public string? InstructionJa { get; init; }
    public string? InstructionEn { get; init; }
    public required DateTimeOffset Effective { get; init; }
    public DateTimeOffset? Expires { get; init; }
    /// <summary>The drill the item was made in (its messages are Exercise), null for a real one.</summary>
    public long? DrillId { get; init; }
    public required IReadOnlyList<CapArea> Areas { get; init; }

    /// <summary>A digest of everything the messages say: a different digest means the feed sends an Update.</summary>
    public string ContentDigest() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, BousaiJson.Options))));
}
