using Bousai.Server.OfficialWarnings;

namespace Bousai.Server.Cap;

/// <summary>A district's 警戒レベル in force (level 3–5), as stored; no staff names.</summary>
public sealed record DistrictLevelRow(string DistrictId, string NameJa, string NameEn, int Level, DateTimeOffset IssuedAt, string? Reason,
    long? DrillId);

/// <summary>An official (JMA / prefecture) warning in force, as stored in official_warnings; no staff names.</summary>
public sealed record OfficialWarningRow(long WarningId, string Kind, string Name, string? NameEn, string? Condition, int? LevelEquivalent,
    string Source, DateTimeOffset IssuedAt, DateTimeOffset? ValidUntil, IReadOnlyList<string> Areas, IReadOnlyList<string> AreaCodes,
    IReadOnlyList<string> Rivers, string? Headline, long? DrillId);

/// <summary>An alert the system raised from the town's gauges with a 警戒レベル相当, not cleared.</summary>
public sealed record SystemAlertRow(long AlertId, string Kind, int LevelEquivalent, string Message, string? MessageEn, string? Step,
    DateTimeOffset RaisedAt, long? DrillId, string? StationNameJa, string? StationNameEn, string? River);

/// <summary>
/// What residents read in each item, in Japanese and English. Official warnings say they are official; the system's
/// alerts say they are the town's own estimate from its gauges, so the two are never mistaken for each other.
/// </summary>
public static class CapItems
{
    /// <summary>What to do at each level the town issues (内閣府 避難情報に関するガイドライン, 2021).</summary>
    private static readonly IReadOnlyDictionary<int, (string Ja, string En)> WhatToDo = new Dictionary<int, (string, string)>
    {
        [3] = ("避難に時間のかかる高齢者や障害のある人などは危険な場所から避難してください。その他の人も避難の準備をしてください。",
            "Older people, people with disabilities and others who need time: leave dangerous places now. Everyone else: get ready to evacuate."),
        [4] = ("危険な場所から全員避難してください。", "Everyone: leave dangerous places now."),
        [5] = ("命の危険があります。直ちに身の安全を確保してください。", "Danger to life: secure your safety immediately, wherever you are."),
    };

    public static string DistrictKey(DistrictLevelRow row) => Drill(row.DrillId) + "district-level:" + row.DistrictId;

    /// <summary>A district's level as an item, named as the level was named when issued (the dated product-name table).</summary>
    /// <exception cref="KeyNotFoundException">A level the town does not issue (the table allows 3, 4 and 5 in force).</exception>
    public static CapItem District(DistrictLevelRow row, IReadOnlyList<CapArea> areas)
    {
        var label = ProductNames.Shipped.EvacuationLevelName(row.Level, row.IssuedAt)
            ?? throw new KeyNotFoundException($"No name for 警戒レベル {row.Level} at {row.IssuedAt:O}.");
        var (doJa, doEn) = WhatToDo[row.Level];
        var name = (Ja: label.Name, En: label.En);
        var reason = string.IsNullOrWhiteSpace(row.Reason) ? "" : "理由: " + row.Reason;
        return new CapItem
        {
            Key = DistrictKey(row),
            Kind = CapItemKind.DistrictLevel,
            Subkind = "district_level",
            Level = row.Level,
            EventJa = name.Ja,
            EventEn = name.En,
            HeadlineJa = $"{row.NameJa}に{name.Ja}（警戒レベル{row.Level}）",
            HeadlineEn = $"{name.En} (alert level {row.Level}): {row.NameEn}",
            DescriptionJa = $"高畠町は{row.NameJa}に警戒レベル{row.Level}「{name.Ja}」を発令しました。{reason}",
            DescriptionEn = $"Takahata Town has issued alert level {row.Level} ({name.En}) for {row.NameEn}."
                + (reason.Length > 0 ? " Reason (Japanese): " + row.Reason : ""),
            InstructionJa = doJa,
            InstructionEn = doEn,
            Effective = row.IssuedAt,
            DrillId = row.DrillId,
            Areas = areas,
        };
    }

    public static string WarningKey(OfficialWarningRow row) => Drill(row.DrillId) + "official-warning:" + row.WarningId;

    public static CapItem Warning(OfficialWarningRow row, IReadOnlyList<CapArea> areas)
    {
        // A telegram's name already carries its condition (大雨警報（土砂災害）); a hand entry may give it apart.
        var nameJa = row.Condition is { Length: > 0 } condition && !row.Name.Contains(condition, StringComparison.Ordinal) ? $"{row.Name}（{condition}）" : row.Name;
        var nameEn = row.NameEn ?? row.Name;
        var areasJa = row.Areas.Count > 0 ? string.Join("、", row.Areas) : "高畠町";
        var level = row.LevelEquivalent is { } l ? $"（警戒レベル{l}相当）" : "";
        var levelEn = row.LevelEquivalent is { } e ? $" (equivalent to alert level {e})" : "";
        var (byJa, byEn) = row.Kind switch
        {
            "landslide_alert" => ("山形県と気象庁が共同で", "Yamagata Prefecture and the Japan Meteorological Agency have jointly"),
            "river_flood" => ("国土交通省と気象庁が共同で", "The river office and the Japan Meteorological Agency have jointly"),
            _ => ("気象庁が", "The Japan Meteorological Agency has"),
        };
        var rivers = row.Rivers.Count > 0 ? $"（{string.Join("、", row.Rivers)}）" : "";
        var byHand = row.Source == "hand";
        return new CapItem
        {
            Key = WarningKey(row),
            Kind = CapItemKind.OfficialWarning,
            Subkind = row.Kind,
            Level = row.LevelEquivalent,
            EventJa = nameJa,
            EventEn = nameEn,
            HeadlineJa = $"公式: {nameJa}{rivers}{level}",
            HeadlineEn = $"Official: {nameEn}{levelEn}",
            DescriptionJa = $"{byJa}{areasJa}に{nameJa}{rivers}を発表しています。{level}"
                + (row.Headline is { Length: > 0 } headline ? " " + headline : "")
                + (byHand ? "（県などからの連絡を本部が手入力した情報です）" : ""),
            DescriptionEn = $"{byEn} issued {nameEn}{levelEn} for Takahata Town."
                + (row.Rivers.Count > 0 ? $" Rivers: {string.Join(", ", row.Rivers)}." : "")
                + (byHand ? " Entered by hand at HQ from a fax or call." : ""),
            Effective = row.IssuedAt,
            Expires = row.ValidUntil,
            DrillId = row.DrillId,
            Areas = areas,
        };
    }

    public static string AlertKey(SystemAlertRow row) => Drill(row.DrillId) + "system-alert:" + row.AlertId;

    public static CapItem Alert(SystemAlertRow row, IReadOnlyList<CapArea> areas)
    {
        var (eventJa, eventEn) = row.Kind switch
        {
            "water_level" => ("河川水位（町の観測）", "River level (town's gauge)"),
            "rain" => ("大雨（町の観測、60分雨量）", "Heavy rain (town's gauge, 60-minute rainfall)"),
            "landslide" => ("土砂災害の危険度（町の推定）", "Landslide risk (town's estimate)"),
            _ => ("町の観測", "Town's gauges"),
        };
        var where = row.StationNameJa is null ? "" : $"{row.River}{(row.River is null ? "" : " ")}{row.StationNameJa}: ";
        var whereEn = row.StationNameEn is null ? "" : $"{row.StationNameEn}: ";
        return new CapItem
        {
            Key = AlertKey(row),
            Kind = CapItemKind.SystemAlert,
            Subkind = row.Kind,
            Level = row.LevelEquivalent,
            EventJa = eventJa,
            EventEn = eventEn,
            HeadlineJa = $"{where}{row.Message}（警戒レベル{row.LevelEquivalent}相当）",
            HeadlineEn = $"{whereEn}{row.MessageEn ?? eventEn} (equivalent to alert level {row.LevelEquivalent})",
            DescriptionJa = $"{where}{row.Message} 町の観測機器による推定です。気象庁などの公式の情報ではありません。",
            DescriptionEn = $"{whereEn}{row.MessageEn ?? eventEn}. From the town's own gauges: a local estimate, not an official warning.",
            InstructionJa = "今後の情報と町の避難情報に注意してください。",
            InstructionEn = "Watch for further information and for the town's evacuation orders.",
            Effective = row.RaisedAt,
            DrillId = row.DrillId,
            Areas = areas,
        };
    }

    /// <summary>A drill's items have keys of their own, so a real item of the same thing lives on beside them.</summary>
    private static string Drill(long? drillId) => drillId is { } id ? $"drill-{id}:" : "";
}
