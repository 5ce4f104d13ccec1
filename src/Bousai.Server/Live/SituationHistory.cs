using System.Data;
using System.Text.Json;
using Bousai.Server.Alerts;
using Bousai.Server.Drills;
using Bousai.Server.Evacuation;
using Bousai.Server.Geodata;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.Live;

/// <summary>The situation as staff saw it at a moment in the past, with the hazards then in force.</summary>
public sealed record PastSituation(DateTimeOffset Moment, SituationSnapshot Snapshot, IReadOnlyList<HazardStatus> Hazards);

/// <summary>How far back the situation can be shown (the oldest checkpoint), and when the last event happened.</summary>
public sealed record SituationRecord(DateTimeOffset? StartsAt, DateTimeOffset? LastEventAt);

/// <summary>Events after <see cref="After"/> up to a moment, for playing the past forward; More: the limit cut them, ask again from Through.</summary>
public sealed record PastEvents(long After, long Through, IReadOnlyList<SituationEvent> Events, bool More);

/// <summary>A stored checkpoint: the situation after event Seq, and the geodata it was made with.</summary>
public sealed record SituationCheckpoint(long Seq, DateTimeOffset At, string Origin, long GeodataRevision, SituationParts Parts);

/// <summary>
/// The situation at any moment of the record, rebuilt from the checkpoint at or before it and the events after that
/// checkpoint (at most Live:CheckpointEvery of them), so a moment a year back opens as fast as one an hour back.
/// </summary>
public sealed class SituationHistory(NpgsqlDataSource db)
{
    /// <summary>The staff snapshot as it was at <paramref name="moment"/>, or null before the record begins.</summary>
    public async Task<SituationSnapshot?> AtAsync(DateTimeOffset moment, CancellationToken ct) => (await PastAsync(moment, ct))?.Snapshot;

    /// <summary>The situation at <paramref name="moment"/> with its hazards, or null before the record begins.</summary>
    public async Task<PastSituation?> PastAsync(DateTimeOffset moment, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var find = new NpgsqlCommand(
            "SELECT seq FROM situation_events WHERE occurred_at <= $1 ORDER BY occurred_at DESC, seq DESC LIMIT 1", connection);
        find.Parameters.AddWithValue(moment.ToUniversalTime());
        var lastEvent = await find.ExecuteScalarAsync(ct) as long? ?? 0;
        return await RebuildAsync(connection, lastEvent, moment, ct);
    }

    /// <summary>
    /// The staff snapshot after event <paramref name="seq"/>, shown at <paramref name="moment"/> (which decides what has
    /// left the picture by then), or null when the record does not reach back to it.
    /// </summary>
    public async Task<SituationSnapshot?> AtPositionAsync(long seq, DateTimeOffset moment, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await RebuildAsync(connection, seq, moment, ct))?.Snapshot;
    }

    private static async Task<PastSituation?> RebuildAsync(NpgsqlConnection connection, long lastEvent, DateTimeOffset moment, CancellationToken ct)
    {
        // The newest checkpoint made by then whose position is not past the moment's last event; when the moment's last
        // event is older than the record (or there is none), the first checkpoint made by then.
        var checkpoint = await SituationCheckpoints.ReadAsync(connection,
                "WHERE seq <= $1 AND occurred_at <= $2 ORDER BY seq DESC LIMIT 1", [lastEvent, moment.ToUniversalTime()], ct)
            ?? await SituationCheckpoints.ReadAsync(connection,
                "WHERE seq >= $1 AND occurred_at <= $2 ORDER BY seq LIMIT 1", [lastEvent, moment.ToUniversalTime()], ct);
        if (checkpoint is null) return null;

        var situation = RecordedSituation.FromParts(checkpoint.Parts);
        while (situation.Seq < lastEvent)
        {
            var events = await SituationEventLog.ReadAfterAsync(connection, null, situation.Seq, (int)Math.Min(5_000, lastEvent - situation.Seq), ct);
            if (events.Count == 0) break;
            foreach (var change in events) situation.Apply(change);
        }

        return new PastSituation(moment, situation.ToSnapshot(moment), situation.Hazards);
    }

    /// <summary>Staff events after <paramref name="after"/> that happened at or before <paramref name="until"/>, in order, at most <paramref name="limit"/>.</summary>
    public async Task<PastEvents> EventsAsync(long after, DateTimeOffset until, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT seq, occurred_at, payload, payload_version FROM situation_events
            WHERE seq > $1 AND seq <= coalesce((SELECT seq FROM situation_events WHERE occurred_at <= $2 ORDER BY occurred_at DESC, seq DESC LIMIT 1), 0)
            ORDER BY seq LIMIT $3
            """, connection);
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(until.ToUniversalTime());
        command.Parameters.AddWithValue(limit + 1);
        var events = await SituationEventLog.ReadEventsAsync(command, ct);
        var more = events.Count > limit;
        var kept = more ? events.Take(limit).ToList() : events;
        return new PastEvents(after, kept.Count > 0 ? kept[^1].Seq : after, kept, more);
    }

    /// <summary>The oldest moment that can be shown and the newest event's time.</summary>
    public async Task<SituationRecord> RecordAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            -- The start rounded up to the millisecond: browsers hold moments to the millisecond, and the start itself
            -- must open.
            SELECT (SELECT date_trunc('milliseconds', min(occurred_at) + interval '999 microseconds') FROM situation_checkpoints),
                   (SELECT occurred_at FROM situation_events ORDER BY seq DESC LIMIT 1)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SituationRecord(
            reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }
}

/// <summary>The SQL of checkpoints: reading the live tables into one, storing one, reading one back.</summary>
public static class SituationCheckpoints
{
    /// <summary>
    /// The whole situation from the live tables in one repeatable-read transaction with the log's position: every change
    /// writes its state and its event together, so this is exactly the situation after event Seq.
    /// </summary>
    public static async Task<(SituationParts Parts, long GeodataRevision)> ReadLiveAsync(NpgsqlDataSource db, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        long seq;
        await using (var position = new NpgsqlCommand("SELECT last_seq FROM situation_event_sequence", connection, transaction))
        {
            seq = (long)(await position.ExecuteScalarAsync(ct))!;
        }

        var revision = await GeodataRevision.ReadAsync(connection, transaction, ct);

        var shelters = await ShelterStore.ReadAllAsync(connection, transaction, ct);
        var (districtIds, levels) = await DistrictEvacuationStore.ReadRecordAsync(connection, transaction, ct);
        var stations = await StationStates.ReadAllAsync(connection, transaction, ct);
        var reports = await FieldReportStore.ReadCurrentAsync(connection, transaction, publicOnly: false, ct, limit: int.MaxValue);
        var alerts = await AlertStore.ReadActiveAsync(connection, transaction, ct);
        var warnings = await OfficialWarningStore.ReadInForceAsync(connection, transaction, ct);
        var recommendations = await EvacuationRecommendationStore.ReadOpenAsync(connection, transaction, ct);
        var recent = await SituationEventLog.ReadRecentDecisionsAsync(connection, transaction, SituationSnapshots.RecentEvents, ct);
        var drill = await DrillStore.CurrentAsync(connection, transaction, ct);
        var hazards = await HazardStore.ReadAnnouncedAsync(connection, transaction, forUpdate: false, ct);
        await transaction.CommitAsync(ct);
        return (new SituationParts(seq, now, shelters, districtIds, levels, stations, reports, alerts, warnings, recommendations, recent, drill, hazards),
            revision);
    }

    /// <summary>Stores a checkpoint; one already at that position is kept (another instance made the same one).</summary>
    public static async Task<bool> WriteAsync(NpgsqlConnection connection, SituationParts parts, string origin, long geodataRevision, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO situation_checkpoints (seq, occurred_at, origin, geodata_revision, state) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (seq) DO NOTHING
            """, connection);
        insert.Parameters.AddWithValue(parts.Seq);
        insert.Parameters.AddWithValue(parts.At);
        insert.Parameters.AddWithValue(origin);
        insert.Parameters.AddWithValue(geodataRevision);
        insert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(parts, BousaiJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The first checkpoint a condition (with $1, $2… bound to <paramref name="parameters"/>) selects, or null.</summary>
    public static async Task<SituationCheckpoint?> ReadAsync(NpgsqlConnection connection, string where, object[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT seq, occurred_at, origin, geodata_revision, state::text FROM situation_checkpoints " + where, connection);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var parts = JsonSerializer.Deserialize<SituationParts>(reader.GetString(4), BousaiJson.Options)
            ?? throw new InvalidDataException($"Situation checkpoint {reader.GetInt64(0)} is empty.");
        return new SituationCheckpoint(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetInt64(3), parts);
    }
}
