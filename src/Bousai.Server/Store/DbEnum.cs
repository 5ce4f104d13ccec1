using System.Text.Json;

namespace Bousai.Server.Store;

/// <summary>Enums are stored as the same snake_case text the JSON APIs use ("road_blocked", "in_progress").</summary>
public static class DbEnum
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string stored) where T : struct, Enum => Enum.Parse<T>(stored.Replace("_", ""), ignoreCase: true);

    /// <summary>Reads a client's or the database's snake_case name; anything else is refused.</summary>
    public static bool TryParse<T>(string? value, out T parsed) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Name(candidate) == value)
            {
                parsed = candidate;
                return true;
            }
        }

        parsed = default;
        return false;
    }

    public static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(Name));
}
