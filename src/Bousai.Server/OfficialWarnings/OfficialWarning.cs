namespace Bousai.Server.OfficialWarnings;

public enum OfficialWarningStatus
{
    InForce,
    /// <summary>解除, or no longer listed by a telegram of its scope, or ended by HQ.</summary>
    Ended,
    /// <summary>取消: JMA withdrew the telegram; it leaves the picture as if it had not been issued.</summary>
    Cancelled,
}

public enum OfficialWarningSource { JmaFeed, JmaUpload, JmaDrop, Hand }

/// <summary>
/// An official warning (気象警報・注意報, 土砂災害警戒情報, 指定河川洪水予報) for the town, as a telegram or HQ's hand entry
/// (a fax or a call from the prefecture) recorded it. Always shown as official, apart from the local estimates.
/// Residents see everything but who entered it.
/// </summary>
/// <param name="WarningKey">Kind, area code, name and condition: the same warning across the telegrams that continue it.</param>
/// <param name="Name">As residents read it, the condition included: 大雨警報（土砂災害）.</param>
/// <param name="Areas">The areas it covers, by name (高畠町).</param>
/// <param name="EnteredBy">The staff member who entered it by hand (staff only).</param>
public sealed record OfficialWarning(
    long WarningId,
    string WarningKey,
    OfficialKind Kind,
    string Name,
    string NameEn,
    string? Condition,
    int? LevelEquivalent,
    OfficialWarningStatus Status,
    OfficialWarningSource Source,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ValidUntil,
    IReadOnlyList<string> Areas,
    IReadOnlyList<string> Rivers,
    string? Headline,
    bool EnteredByHand,
    string? EnteredBy,
    long? DrillId,
    DateTimeOffset UpdatedAt)
{
    public OfficialWarning ForPublic() => this with { EnteredBy = null };

    public static string KeyOf(OfficialKind kind, string areaCode, string name, string? condition) =>
        $"{Store.DbEnum.Name(kind)}:{areaCode}:{name}:{condition}";
}
