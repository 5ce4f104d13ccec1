namespace Bousai.Server.OfficialWarnings;

/// <summary>The official products this system records.</summary>
public enum OfficialKind
{
    /// <summary>気象警報・注意報 (特別警報 included).</summary>
    WeatherWarning,
    /// <summary>土砂災害警戒情報, issued jointly by the prefecture and JMA.</summary>
    LandslideAlert,
    /// <summary>指定河川洪水予報.</summary>
    RiverFlood,
}

/// <summary>Head/InfoType. 解除 is not an InfoType in JMA XML: it is a 発表 whose content ends the warnings.</summary>
public enum TelegramInfoType { Issue, Correction, Cancellation }

/// <summary>Control/Status: only 通常 is real; 訓練 and 試験 must never reach residents as real warnings.</summary>
public enum TelegramStatus { Normal, Drill, Test }

/// <summary>One warning in force for an area, with its 警戒レベル相当 where JMA defines one.</summary>
/// <param name="Name">As residents read it, the condition included: 大雨警報（土砂災害）.</param>
/// <param name="Change">The telegram's word for this warning: 発表, 継続, 警報から注意報 ….</param>
public sealed record WarningInForce(string Name, string? Condition, string Change, int? LevelEquivalent);

/// <summary>An area named by a telegram and what is in force there after it.</summary>
/// <param name="Code">JMA 市町村等 code (高畠町 = 0638100).</param>
/// <param name="Ended">Warnings this telegram lifts (解除) in the area.</param>
public sealed record AreaWarnings(
    string Code, string Name, IReadOnlyList<WarningInForce> InForce, IReadOnlyList<string> Ended)
{
    public int? HighestLevel => InForce.Max(w => w.LevelEquivalent);
}

/// <summary>A JMA 防災情報XML telegram as this system records it.</summary>
/// <param name="Title">Head/Title, e.g. 山形県気象警報・注意報 or 最上川上流氾濫危険情報.</param>
/// <param name="ControlTitle">Control/Title, the product's name on the wire.</param>
/// <param name="Rivers">For 指定河川洪水予報: the forecast sections (rivers) it is about.</param>
public sealed record JmaTelegram(
    OfficialKind Kind,
    string ControlTitle,
    string Title,
    TelegramInfoType InfoType,
    TelegramStatus Status,
    string PublishingOffice,
    string? EventId,
    string? Serial,
    DateTimeOffset ReportDateTime,
    DateTimeOffset? TargetDateTime,
    DateTimeOffset? ValidDateTime,
    string? Headline,
    IReadOnlyList<string> Rivers,
    IReadOnlyList<AreaWarnings> Areas)
{
    public AreaWarnings? Area(string code) => Areas.FirstOrDefault(a => a.Code == code);
}

/// <summary>What reading a telegram for the town gave.</summary>
public abstract record TelegramReading
{
    TelegramReading() { }

    /// <summary>A telegram with an item for the town; <c>Town.InForce</c> empty means it ends what was in force.</summary>
    public sealed record ForTown(JmaTelegram Telegram, AreaWarnings Town) : TelegramReading;

    /// <summary>
    /// A 取消 that names no areas (JMA cancels by EventID and kind, and leaves the body out): it applies to
    /// whatever the town recorded from the telegram it cancels.
    /// </summary>
    public sealed record Cancels(JmaTelegram Telegram) : TelegramReading;

    /// <summary>A well-formed telegram of a known kind with no item for the town: ignored, not an error.</summary>
    public sealed record NotForTown(JmaTelegram Telegram) : TelegramReading;

    /// <summary>Not a telegram this system can record; the reason says why, for the uploader.</summary>
    public sealed record Refused(string Reason) : TelegramReading;
}
