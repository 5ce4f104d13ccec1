namespace Bousai.Domain.Shelters;

/// <summary>What a shelter is designated as (災害対策基本法 第49条の4, 第49条の7; 福祉避難所 by 施行規則).</summary>
public enum ShelterKind
{
    /// <summary>指定緊急避難場所: a place to flee to from the danger; nobody stays there.</summary>
    EmergencySite,
    /// <summary>指定避難所: a place to stay until one can go home.</summary>
    EvacuationShelter,
    /// <summary>指定緊急避難場所・指定避難所: both.</summary>
    Both,
    /// <summary>福祉避難所: a place to stay for people who need care.</summary>
    Welfare,
}

public static class ShelterKinds
{
    /// <summary>Whether people can stay there (a 指定避難所, both, or a 福祉避難所), rather than only flee to it.</summary>
    public static bool IsPlaceToStay(ShelterKind kind) => kind is not ShelterKind.EmergencySite;

    /// <summary>Whether it is a 指定緊急避難場所 (listed in 指定緊急避難場所一覧).</summary>
    public static bool IsEmergencySite(ShelterKind kind) => kind is ShelterKind.EmergencySite or ShelterKind.Both;

    /// <summary>The kind from the GSI data's two designations (neither: a 指定避難所, which the welfare ones also are).</summary>
    public static ShelterKind FromDesignations(bool isEmergencySite, bool isEvacuationShelter) => (isEmergencySite, isEvacuationShelter) switch
    {
        (true, true) => ShelterKind.Both,
        (true, false) => ShelterKind.EmergencySite,
        _ => ShelterKind.EvacuationShelter,
    };

    public static string JapaneseName(ShelterKind kind) => kind switch
    {
        ShelterKind.EmergencySite => "指定緊急避難場所",
        ShelterKind.EvacuationShelter => "指定避難所",
        ShelterKind.Both => "指定緊急避難場所・指定避難所",
        ShelterKind.Welfare => "福祉避難所",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
