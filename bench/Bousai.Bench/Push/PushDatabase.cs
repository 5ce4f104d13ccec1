using System.Diagnostics;
using Bousai.Testing.Push;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Bench.Push;

/// <summary>
/// The bench's own connection to the server's database: the subscriptions written straight in (the subscription API
/// has its own tests; 100,000 PUTs would measure the API, not the fan-out), and what is left once the sender is done.
/// </summary>
public sealed class PushDatabase(NpgsqlDataSource db)
{
    /// <summary>Subscriber i reads Japanese when i is even, English when odd.</summary>
    public static string LanguageOf(int subscriber) => subscriber % 2 == 0 ? "ja" : "en";

    public static string SubscriberName(int subscriber) => $"s{subscriber}";

    public static int SubscriberNumber(string name) => int.Parse(name.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// One subscription per subscriber, on <paramref name="topic"/> only, drills off, with one binary COPY, then ANALYZE
    /// (what autovacuum does after a bulk load, so the fan-out is planned on the table as it is). Returns the seconds taken.
    /// </summary>
    public async Task<double> InsertSubscriptionsAsync(LoopbackPushService push, PushSubscriberKeys keys, int count, string topic,
        CancellationToken ct)
    {
        var took = Stopwatch.StartNew();
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var now = DateTimeOffset.UtcNow;
            string[] topics = [topic];
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY push_subscriptions (endpoint, p256dh, auth, language, topics, drills, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(push.EndpointOf(SubscriberName(i)).ToString(), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(keys.P256dh, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(keys.Auth, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(LanguageOf(i), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(topics, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var analyze = db.CreateCommand("ANALYZE push_subscriptions")) await analyze.ExecuteNonQueryAsync(ct);
        return took.Elapsed.TotalSeconds;
    }

    public async Task<long> SubscriptionsOnAsync(string topic, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM push_subscriptions WHERE topics @> ARRAY[$1::text]");
        command.Parameters.AddWithValue(topic);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The district's names, Japanese and English (the Japanese one when it has no English one, as the notice does).</summary>
    public async Task<(string Ja, string En)> DistrictNamesAsync(string districtId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT name_ja, coalesce(name_en, name_ja) FROM districts WHERE id = $1");
        command.Parameters.AddWithValue(districtId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetString(0), reader.GetString(1))
            : throw new InvalidOperationException($"The database has no district {districtId}.");
    }

    public async Task<int> LevelOfAsync(string districtId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT level::int FROM district_evacuation_levels WHERE district_id = $1 AND drill_id IS NULL");
        command.Parameters.AddWithValue(districtId);
        return await command.ExecuteScalarAsync(ct) is int level ? level : 0;
    }

    /// <summary>The newest notice on the topic written after <paramref name="afterId"/>: its id and whether the sender has fanned it out.</summary>
    public async Task<(long Id, bool FannedOut)?> NoticeAsync(string topic, long afterId, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "SELECT id, fanned_out_at IS NOT NULL FROM push_notices WHERE topic = $1 AND id > $2 ORDER BY id DESC LIMIT 1");
        command.Parameters.AddWithValue(topic);
        command.Parameters.AddWithValue(afterId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetBoolean(1)) : null;
    }

    public async Task<long> LastNoticeIdAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT coalesce(max(id), 0) FROM push_notices");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<long> DeliveriesLeftAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM push_deliveries");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>What the deliveries still waiting look like, for a stalled run's message: count by attempts and last answer.</summary>
    public async Task<string> DeliveriesLeftByStateAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT attempts, coalesce(last_status::text, '—'), count(*), min(due_at) <= now()
            FROM push_deliveries GROUP BY 1, 2 ORDER BY 1, 2
            """);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add($"{reader.GetInt64(2):N0} after {reader.GetInt32(0)} attempt(s), last answer {reader.GetString(1)}{(reader.GetBoolean(3) ? ", some due now" : "")}");
        }

        return lines.Count == 0 ? "none" : string.Join("; ", lines);
    }
}
