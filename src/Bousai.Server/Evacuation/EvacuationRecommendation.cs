using Bousai.Server.OfficialWarnings;

namespace Bousai.Server.Evacuation;

/// <summary>Where a recommendation stands: open until a person issues or dismisses it, or the system supersedes it.</summary>
public enum RecommendationStatus
{
    Open,
    Issued,
    Dismissed,
    Superseded,
}

/// <summary>
/// A 警戒レベル the system recommends for a district, on a basis (gauge:{stationId} or official:{warningKey}), with its
/// reason; a person answers it (issues or dismisses, who, when, why), or the system supersedes it when its basis goes
/// away or a higher one comes (answeredBy "system"). Staff only. The level's names are those in use when it was made.
/// </summary>
public sealed record EvacuationRecommendation(
    long RecommendationId,
    string DistrictId,
    int Level,
    string LevelNameJa,
    string LevelNameEn,
    string Basis,
    string ReasonJa,
    string ReasonEn,
    DateTimeOffset MadeAt,
    RecommendationStatus Status,
    string? AnsweredBy = null,
    DateTimeOffset? AnsweredAt = null,
    string? AnswerReason = null,
    long? DrillId = null)
{
    /// <summary>Who answers for the system when it supersedes a recommendation.</summary>
    public const string System = "system";

    public static (string Ja, string En) LevelNames(int level, DateTimeOffset at) =>
        ProductNames.Shipped.EvacuationLevelName(level, at) is { } name ? (name.Name, name.En) : ($"警戒レベル{level}", $"Alert level {level}");
}
