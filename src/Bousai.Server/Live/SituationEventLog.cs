using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Bousai.Server.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.Live;

/// <summary>
/// The situation event log in PostgreSQL. Appending takes the next number from the single-row counter, whose row lock
/// is held until the transaction ends: numbers are handed out in commit order and a rolled-back change returns its
/// number, so the log has no gaps and a reader that has seen N has seen everything up to N.
/// </summary>
public static class SituationEventLog
{
    /// <summary>
    /// The shape of the payloads this server writes and reads (situation_events.payload_version). Adding an optional
    /// field keeps the version; renaming or removing one, or changing its meaning, raises it and teaches
    /// <see cref="ReadPayload"/> to read the previous versions, as the log keeps years of them (Live:LogRetention).
    /// </summary>
    /// Version 2 (issue 10): field reports lost "verified" (a status now) and gained severity, observation time, photos
    /// and HQ's triage; field_report_updated says what changed and whether residents saw the report before.
    public const short PayloadVersion = 2;

    /// <summary>Appends an event inside the caller's transaction (the one that makes the change) and returns it numbered.</summary>
    public static async Task<T> AppendAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, T change,
        CancellationToken cancellationToken) where T : SituationEvent =>
        change with { Seq = await AppendManyAsync(connection, transaction, [change], cancellationToken) };

    /// <summary>
    /// Appends events inside the caller's transaction, numbered together in list order; returns the last number
    /// (0 when there is nothing to append).
    /// </summary>
    public static async Task<long> AppendManyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SituationEvent> changes,
        CancellationToken cancellationToken)
    {
        if (changes.Count == 0) return 0;
        long last;
        await using (var take = new NpgsqlCommand("UPDATE situation_event_sequence SET last_seq = last_seq + $1 RETURNING last_seq", connection, transaction))
        {
            take.Parameters.AddWithValue((long)changes.Count);
            last = (long)(await take.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO situation_events (seq, occurred_at, kind, payload, payload_version)
            SELECT seq, occurred_at, kind, payload, $5 FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::jsonb[]) AS e (seq, occurred_at, kind, payload)
            """, connection, transaction);
        insert.Parameters.AddWithValue(Enumerable.Range(0, changes.Count).Select(i => last - changes.Count + 1 + i).ToArray());
        insert.Parameters.AddWithValue(changes.Select(c => c.At).ToArray());
        insert.Parameters.AddWithValue(changes.Select(Kind).ToArray());
        insert.Parameters.Add(new NpgsqlParameter { Value = changes.Select(Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        insert.Parameters.AddWithValue(PayloadVersion);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        // What residents who opted in are to be told of it: in this transaction, so it goes if and only if the change does.
        await NoticeOutbox.WriteAsync(connection, transaction,
            [.. changes.Select((c, i) => c with { Seq = last - changes.Count + 1 + i })], cancellationToken);
        return last;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/>, in order.</summary>
    public static async Task<IReadOnlyList<SituationEvent>> ReadAfterAsync(NpgsqlDataSource db, long after, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await ReadAfterAsync(connection, null, after, limit, cancellationToken);
    }

    public static async Task<IReadOnlyList<SituationEvent>> ReadAfterAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT seq, occurred_at, payload, payload_version FROM situation_events WHERE seq > $1 ORDER BY seq LIMIT $2", connection, transaction);
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(limit);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public static async Task<IReadOnlyList<SituationEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<SituationEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var change = ReadPayload(reader.GetString(2), reader.GetInt16(3), reader.GetInt64(0));
            events.Add(change with { Seq = reader.GetInt64(0), At = reader.GetFieldValue<DateTimeOffset>(1) });
        }

        return events;
    }

    /// <summary>The latest events other than gauge states (people's decisions, reports, alerts, refusals), oldest first.</summary>
    public static async Task<IReadOnlyList<SituationEvent>> ReadRecentDecisionsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT seq, occurred_at, payload, payload_version FROM (
                SELECT seq, occurred_at, payload, payload_version FROM situation_events WHERE kind <> 'station_state_changed' ORDER BY seq DESC LIMIT $1
            ) recent ORDER BY seq
            """, connection, transaction);
        command.Parameters.AddWithValue(limit);
        return await ReadEventsAsync(command, cancellationToken);
    }

    /// <summary>The last number handed out, and the oldest event still kept (last + 1 when the log is empty).</summary>
    public static async Task<LogExtent> ExtentAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            SELECT s.last_seq, coalesce((SELECT min(seq) FROM situation_events), s.last_seq + 1)
            FROM situation_event_sequence s
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LogExtent(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Forgets events, and the checkpoints of the situation, that occurred before <paramref name="before"/>. Clients older
    /// than that reload a snapshot; the record of the situation begins at the oldest checkpoint kept.
    /// </summary>
    public static async Task<int> PruneAsync(NpgsqlDataSource db, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM situation_events WHERE occurred_at < $1") { Parameters = { new() { Value = before } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM situation_checkpoints WHERE occurred_at < $1") { Parameters = { new() { Value = before } } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[0].RecordsAffected;
    }

    /// <summary>The payload stored for an event: its kind and fields, without Seq and At (the log's own columns).</summary>
    public static string Payload(SituationEvent change) =>
        JsonSerializer.Serialize(change with { Seq = 0, At = default }, BousaiJson.Options);

    /// <summary>Reads a stored payload of a version this server knows; any other is refused rather than misread.</summary>
    /// <exception cref="InvalidDataException">A payload version this server does not read (written by a newer server).</exception>
    public static SituationEvent ReadPayload(string payload, short version, long seq = 0) => version switch
    {
        PayloadVersion => JsonSerializer.Deserialize<SituationEvent>(payload, BousaiJson.Options)
            ?? throw new InvalidDataException($"Situation event {seq} has an empty payload."),
        1 => JsonSerializer.Deserialize<SituationEvent>(FromVersion1(JsonNode.Parse(payload)!.AsObject()), BousaiJson.Options)
            ?? throw new InvalidDataException($"Situation event {seq} has an empty payload."),
        _ => throw new InvalidDataException(
            $"Situation event {seq} has payload version {version}; this server reads versions 1 to {PayloadVersion}. Update this server."),
    };

    /// <summary>
    /// A version 1 payload in today's shape. Only field reports changed: verified became a status of its own, and
    /// what version 1 did not know gets what the migration gave the stored reports (severity serious, seen when sent).
    /// </summary>
    private static JsonObject FromVersion1(JsonObject payload)
    {
        if (payload["report"] is not JsonObject report) return payload;
        var verified = report["verified"]?.GetValue<bool>() ?? false;
        report.Remove("verified");
        if (verified && report["status"]?.GetValue<string>() == "new") report["status"] = "verified";
        report["severity"] = "serious";
        report["observedAt"] = report["reportedAt"]?.DeepClone();
        report["updatedAt"] = report["reportedAt"]?.DeepClone();
        report["photos"] = new JsonArray();
        if (payload["kind"]?.GetValue<string>() == "field_report_updated")
        {
            payload["wasPublic"] = payload["wasVerified"]?.GetValue<bool>() ?? false;
            payload.Remove("wasVerified");
            payload["action"] = "status";
        }

        return payload;
    }

    /// <summary>Every event kind, as stored in situation_events.kind and carried in the payload's "kind".</summary>
    public static IReadOnlyCollection<string> AllKinds => Kinds.Values.ToArray();

    private static readonly IReadOnlyDictionary<Type, string> Kinds = typeof(SituationEvent)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), inherit: false)
        .Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    private static string Kind(SituationEvent change) => Kinds[change.GetType()];
}

public readonly record struct LogExtent(long LastSeq, long OldestKept);
