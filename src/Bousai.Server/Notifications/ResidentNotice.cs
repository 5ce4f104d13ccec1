using Bousai.Domain.Shelters;
using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Shelters;

namespace Bousai.Server.Notifications;

public enum NoticeKind
{
    LevelIssued,
    LevelRaised,
    LevelLowered,
    LevelLifted,
    WarningIssued,
    WarningEnded,
    ShelterOpened,
    ShelterFull,
    ShelterClosed,
}

/// <summary>Web Push urgency (RFC 8030 §5.3): how eagerly a phone should wake for it.</summary>
public enum PushUrgency { VeryLow, Low, Normal, High }

/// <summary>
/// What residents subscribed to <see cref="Topic"/> are told of one change, as facts (the words are made per language
/// when it is sent). Subject: the district or shelter id, or the warning's key.
/// </summary>
public sealed record ResidentNotice(
    NoticeKind Kind,
    string Topic,
    string Subject,
    bool Drill,
    PushUrgency Urgency,
    int TtlSeconds,
    int? Level = null,
    int? PreviousLevel = null,
    string? WarningName = null,
    string? WarningNameEn = null)
{
    /// <summary>Levels 3–5, 特別警報 and 土砂災害警戒情報: the phone keeps it on screen until it is seen.</summary>
    public bool Urgent => Urgency == PushUrgency.High;
}

/// <summary>
/// What residents were last told of a shelter or an official warning, so that a change tells them only what is new for
/// them: a head count that moves within a band is not news, a shelter filling up is.
/// </summary>
public enum NoticeMark { Closed, Open, Full, InForce, Over }

/// <summary>
/// The rules of what residents are told, pure: a situation change (with what they were last told of its subject) gives
/// the notices to send and the marks to keep; a level or warning of a drill gives a drill notice. Nothing is sent for staff-only changes, for
/// gauges (a reading is not a decision; the levels and warnings that follow from it are), or for what changes nothing
/// residents act on.
/// </summary>
public static class ResidentNotices
{
    public static readonly int LevelTtl = (int)TimeSpan.FromHours(12).TotalSeconds;
    public static readonly int WarningTtl = (int)TimeSpan.FromHours(6).TotalSeconds;
    public static readonly int ShelterTtl = (int)TimeSpan.FromHours(2).TotalSeconds;

    public static string DistrictTopic(string districtId) => $"district:{districtId}";

    public static string ShelterTopic(string shelterId) => $"shelter:{shelterId}";

    public const string TownTopic = "town";

    /// <summary>The key under which a shelter's or a warning's mark is kept.</summary>
    public static string MarkSubject(SituationEvent change) => change switch
    {
        ShelterStatusChanged s => ShelterTopic(s.Shelter.ShelterId),
        ShelterRegistryChanged s => ShelterTopic(s.Shelter.ShelterId),
        OfficialWarningChanged w => WarningMark(w.Warning),
        _ => throw new ArgumentException($"{change.GetType().Name} keeps no mark.", nameof(change)),
    };

    public static string WarningMark(OfficialWarning warning) => $"warning:{warning.WarningKey}:{warning.DrillId ?? 0}";

    /// <summary>The shelters an event carries (a hazard change judges every shelter again).</summary>
    public static IEnumerable<ShelterState> SheltersIn(SituationEvent change) => change switch
    {
        ShelterStatusChanged s => [s.Shelter],
        ShelterRegistryChanged s => [s.Shelter],
        HazardsChanged h => h.Shelters,
        _ => [],
    };

    public static NoticeMark MarkOf(ShelterState shelter) => shelter switch
    {
        { Open: false } => NoticeMark.Closed,
        { Crowding: CrowdingBand.Full } => NoticeMark.Full,
        _ => NoticeMark.Open,
    };

    public static NoticeMark MarkOf(OfficialWarning warning) => warning.Status == OfficialWarningStatus.InForce ? NoticeMark.InForce : NoticeMark.Over;

    /// <summary>A district's 警戒レベル issued, raised, lowered or lifted. Levels 3–5 are urgent.</summary>
    public static ResidentNotice? ForLevel(DistrictEvacuationLevelChanged change)
    {
        var (level, previous) = (change.District.Level, change.PreviousLevel);
        if (level == previous) return null;
        var kind = (previous, level) switch
        {
            (0, _) => NoticeKind.LevelIssued,
            (_, 0) => NoticeKind.LevelLifted,
            _ when level > previous => NoticeKind.LevelRaised,
            _ => NoticeKind.LevelLowered,
        };
        return new ResidentNotice(kind, DistrictTopic(change.District.DistrictId), change.District.DistrictId, change.District.DrillId is not null,
            level >= 3 ? PushUrgency.High : PushUrgency.Normal, LevelTtl, level, previous);
    }

    /// <summary>
    /// Official warnings residents are woken for: 警報 and 特別警報 (not 注意報), 土砂災害警戒情報, and anything of 警戒レベル3
    /// 相当 or above; told when one comes into force and when it ends. Urgent: 4相当 and above, and 土砂災害警戒情報.
    /// </summary>
    public static ResidentNotice? ForWarning(OfficialWarning warning, NoticeMark? previous)
    {
        if (!Notifies(warning)) return null;
        var now = MarkOf(warning);
        if (now == (previous ?? NoticeMark.Over)) return null;
        var urgent = now == NoticeMark.InForce && (warning.Kind == OfficialKind.LandslideAlert || warning.LevelEquivalent >= 4);
        return new ResidentNotice(now == NoticeMark.InForce ? NoticeKind.WarningIssued : NoticeKind.WarningEnded, TownTopic, warning.WarningKey,
            warning.DrillId is not null, urgent ? PushUrgency.High : PushUrgency.Normal, WarningTtl, warning.LevelEquivalent,
            WarningName: warning.Name, WarningNameEn: warning.NameEn);
    }

    private static bool Notifies(OfficialWarning warning) =>
        warning.Kind == OfficialKind.LandslideAlert || warning.LevelEquivalent >= 3 || warning.Name.Contains("警報", StringComparison.Ordinal);

    /// <summary>
    /// A shelter opening, becoming full, or closing. One that opens already full is told as full; one that has space
    /// again is not news to wake anyone for (the public view shows it). A shelter's state is never a drill's (drills
    /// mark levels, warnings and reports): a shelter opened during a drill is open.
    /// </summary>
    public static ResidentNotice? ForShelter(ShelterState shelter, NoticeMark? previous)
    {
        var now = MarkOf(shelter);
        var before = previous ?? NoticeMark.Closed;
        NoticeKind? kind = (before, now) switch
        {
            _ when before == now => null,
            (_, NoticeMark.Full) => NoticeKind.ShelterFull,
            (NoticeMark.Closed, NoticeMark.Open) => NoticeKind.ShelterOpened,
            (_, NoticeMark.Closed) => NoticeKind.ShelterClosed,
            _ => null,
        };
        return kind is { } k
            ? new ResidentNotice(k, ShelterTopic(shelter.ShelterId), shelter.ShelterId, Drill: false, PushUrgency.Normal, ShelterTtl)
            : null;
    }
}
