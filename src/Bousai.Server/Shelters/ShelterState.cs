using Bousai.Domain.Shelters;

namespace Bousai.Server.Shelters;

/// <summary>
/// A shelter's live status as staff see it, with its registry (kind, designated hazards, capacity assumed or confirmed, accessible
/// facilities, contact) and whether it is suitable for the hazards active now. The public sees it without the internal
/// note, who changed it and the contact.
/// </summary>
public sealed record ShelterState(
    string ShelterId,
    bool Open,
    int Occupancy,
    int? Capacity,
    bool DeclaredFull,
    CrowdingBand Crowding,
    DateTimeOffset? UpdatedAt,
    string? Note,
    string? UpdatedBy,
    ShelterSuitability Suitability,
    ShelterKind Kind,
    IReadOnlyList<string> Hazards,
    bool CapacityAssumed,
    bool Accessible,
    string? Contact)
{
    public ShelterState ForPublic() => this with { Note = null, UpdatedBy = null, Contact = null };
}
