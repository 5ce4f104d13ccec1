using Npgsql;

namespace Bousai.Server.Notifications;

/// <summary>
/// The SQL of residents' push subscriptions. Topics are stored as one array ('district:D01', 'shelter:S001', 'town')
/// with a GIN index, so a notice's fan-out finds its subscribers with one indexed containment test.
/// </summary>
public static class PushSubscriptionStore
{
    private const string DistrictPrefix = "district:";
    private const string ShelterPrefix = "shelter:";

    public static string[] Topics(NotificationChoice choice) =>
    [
        .. choice.Districts.Select(ResidentNotices.DistrictTopic),
        .. choice.Shelters.Select(ResidentNotices.ShelterTopic),
        .. choice.TownWarnings ? [ResidentNotices.TownTopic] : Array.Empty<string>(),
    ];

    public static NotificationChoice Choice(string language, string[] topics, bool drills) => new(
        language,
        [.. topics.Where(t => t.StartsWith(DistrictPrefix, StringComparison.Ordinal)).Select(t => t[DistrictPrefix.Length..])],
        [.. topics.Where(t => t.StartsWith(ShelterPrefix, StringComparison.Ordinal)).Select(t => t[ShelterPrefix.Length..])],
        topics.Contains(ResidentNotices.TownTopic),
        drills);

    /// <summary>The ids among these that the geodata does not have.</summary>
    public static async Task<(IReadOnlyList<string> Districts, IReadOnlyList<string> Shelters)> UnknownAsync(NpgsqlDataSource db,
        string[] districts, string[] shelters, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT array(SELECT unnest($1::text[]) EXCEPT SELECT id FROM districts),
                   array(SELECT unnest($2::text[]) EXCEPT SELECT id FROM shelters)
            """);
        command.Parameters.AddWithValue(districts);
        command.Parameters.AddWithValue(shelters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetFieldValue<string[]>(0).Order().ToArray(), reader.GetFieldValue<string[]>(1).Order().ToArray());
    }

    /// <summary>Stores the subscription, or replaces the choice (and keys) of the one with this endpoint.</summary>
    public static async Task<NotificationChoice> SaveAsync(NpgsqlDataSource db, string endpoint, string p256dh, string auth, NotificationChoice choice,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            INSERT INTO push_subscriptions (endpoint, p256dh, auth, language, topics, drills, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, language = excluded.language,
                topics = excluded.topics, drills = excluded.drills, updated_at = excluded.updated_at
            RETURNING language, topics, drills
            """);
        command.Parameters.AddWithValue(endpoint);
        command.Parameters.AddWithValue(p256dh);
        command.Parameters.AddWithValue(auth);
        command.Parameters.AddWithValue(choice.Language);
        command.Parameters.AddWithValue(Topics(choice));
        command.Parameters.AddWithValue(choice.Drills);
        command.Parameters.AddWithValue(now);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return Choice(reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetBoolean(2));
    }

    public static async Task<NotificationChoice?> FindAsync(NpgsqlDataSource db, string endpoint, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT language, topics, drills FROM push_subscriptions WHERE endpoint = $1");
        command.Parameters.AddWithValue(endpoint);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Choice(reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetBoolean(2)) : null;
    }

    /// <summary>Deletes the subscription (its pending deliveries go with it); false when there was none.</summary>
    public static async Task<bool> DeleteAsync(NpgsqlDataSource db, string endpoint, CancellationToken ct)
    {
        await using var command = db.CreateCommand("DELETE FROM push_subscriptions WHERE endpoint = $1");
        command.Parameters.AddWithValue(endpoint);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }
}
