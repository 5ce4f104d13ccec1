namespace Bousai.Domain.Accounts;

/// <summary>Staff roles: 本部 (HQ), 現地班 (field crew), 避難所担当 (shelter staff, tied to shelters), 管理者 (admin).</summary>
public static class Roles
{
    public const string Hq = "hq";
    public const string Field = "field";
    public const string Shelter = "shelter";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Hq, Field, Shelter, Admin];

    public static bool IsKnown(string role) => All.Contains(role);

    /// <summary>Who may read the HQ situation map: every staff role.</summary>
    public static readonly IReadOnlyList<string> Staff = All;

    /// <summary>Who may send field reports and open the field page: field crews, and HQ (who also go out).</summary>
    public static readonly IReadOnlyList<string> Reporters = [Field, Hq];

    /// <summary>Who may keep a shelter's status and head count and open the shelter page: its staff, and HQ acting for them.</summary>
    public static readonly IReadOnlyList<string> ShelterKeepers = [Shelter, Hq];

    /// <summary>Who may edit the shelter registry (capacity, designations, kind, contact): HQ and admins.</summary>
    public static readonly IReadOnlyList<string> RegistryEditors = [Hq, Admin];

    /// <summary>Who may change reference data and accounts.</summary>
    public static readonly IReadOnlyList<string> Administrators = [Admin];

    public static string NameJa(string role) => role switch
    {
        Hq => "本部",
        Field => "現地班",
        Shelter => "避難所担当",
        Admin => "管理者",
        _ => role,
    };
}
