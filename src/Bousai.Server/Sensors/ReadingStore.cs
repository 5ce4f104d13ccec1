using Bousai.Domain.Sensors;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Prometheus;

namespace Bousai.Server.Sensors;

/// <summary>What one committed batch did.</summary>
public sealed record IngestResult(int Messages, int Stored, int Duplicates, int Refused);

/// <summary>
/// Commits a batch of received messages in one transaction: readings by binary COPY into a staging table and then
/// into readings (a reading already stored, e.g. a redelivery, is skipped by its key), every gauge's latest state,
/// and a dead letter for everything refused. Nothing is acknowledged to the broker before this commits.
/// </summary>
public sealed class ReadingStore(NpgsqlDataSource db, IOptions<MqttOptions> options, TimeProvider time)
{
    private static readonly Counter Readings = Metrics.CreateCounter("bousai_ingest_readings_total",
        "Gauge readings received over MQTT, by outcome (stored, duplicate).", "outcome");
    private static readonly Counter DeadLetters = Metrics.CreateCounter("bousai_ingest_dead_letters_total",
        "Messages or backlog elements refused into the dead letters, by reason.", "reason");
    private static readonly Counter Messages = Metrics.CreateCounter("bousai_ingest_messages_total", "MQTT messages committed.");
    private static readonly Histogram CommitSeconds = Metrics.CreateHistogram("bousai_ingest_batch_seconds",
        "Time to commit one batch of messages.", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });

    public async Task<IngestResult> WriteAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken ct)
    {
        using var timer = CommitSeconds.NewTimer();
        var now = time.GetUtcNow();
        var candidates = new List<CandidateReading>(messages.Count);
        var refused = new List<RefusedReading>();
        for (var i = 0; i < messages.Count; i++)
        {
            SensorMessages.Parse(i, messages[i], options.Value, now, candidates, refused);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var accepted = await KnownStationsOnlyAsync(connection, transaction, candidates, refused, ct);
        var (stored, affected) = await StoreReadingsAsync(connection, transaction, accepted, now, ct);
        await RecordDeadLettersAsync(connection, transaction, messages, refused, ct);
        if (refused.Count > 0)
        {
            var counts = refused.GroupBy(r => (r.StationId, r.Reason))
                .Select(g => new RefusalCount(g.Key.StationId, g.Key.Reason, g.Count())).ToList();
            await SituationEventLog.AppendAsync(connection, transaction, new SensorMessagesRefused(counts) { At = now }, ct);
        }

        await transaction.CommitAsync(ct);

        Messages.Inc(messages.Count);
        Readings.WithLabels("stored").Inc(stored);
        Readings.WithLabels("duplicate").Inc(accepted.Count - stored);
        foreach (var group in refused.GroupBy(r => r.Reason)) DeadLetters.WithLabels(group.Key).Inc(group.Count());
        if (affected > 0) StationsChanged?.Invoke();
        return new IngestResult(messages.Count, stored, accepted.Count - stored, refused.Count);
    }

    /// <summary>A message the pipeline failed on (a defect, not bad input): kept as a dead letter so nothing is silently lost.</summary>
    public async Task RecordUnprocessableAsync(ReceivedMessage message, string error, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await RecordDeadLettersAsync(connection, transaction, [message], [new RefusedReading(0, null, "processing_error", error)], ct);
        await transaction.CommitAsync(ct);
        DeadLetters.WithLabels("processing_error").Inc();
    }

    /// <summary>Raised after a commit that changed some gauge's readings, so its derived state is recomputed soon.</summary>
    public event Action? StationsChanged;

    /// <summary>Stations are data an admin may change at any time, so every batch asks the database which exist.</summary>
    private static async Task<List<CandidateReading>> KnownStationsOnlyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<CandidateReading> candidates, List<RefusedReading> refused, CancellationToken ct)
    {
        if (candidates.Count == 0) return candidates;
        var kinds = new Dictionary<string, string>();
        await using (var lookup = new NpgsqlCommand("SELECT id, kind FROM stations WHERE id = ANY($1)", connection, transaction))
        {
            lookup.Parameters.AddWithValue(candidates.Select(c => c.StationId).Distinct().ToArray());
            await using var reader = await lookup.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) kinds[reader.GetString(0)] = reader.GetString(1);
        }

        var accepted = new List<CandidateReading>(candidates.Count);
        var unknownStationMessages = new HashSet<int>();
        foreach (var reading in candidates)
        {
            if (!kinds.TryGetValue(reading.StationId, out var kind))
            {
                // One dead letter per message: a backlog of 144 readings from an unknown gauge is one refusal, not 144.
                if (unknownStationMessages.Add(reading.MessageNo))
                {
                    refused.Add(new RefusedReading(reading.MessageNo, reading.StationId, "unknown_station", $"no station '{reading.StationId}'"));
                }
            }
            else if ((kind == "rain") != (reading.Quantity == Quantity.Rainfall))
            {
                refused.Add(new RefusedReading(reading.MessageNo, reading.StationId, "quantity_not_measured_by_station",
                    $"a {kind} station does not measure {DbEnum.Name(reading.Quantity)}"));
            }
            else
            {
                accepted.Add(reading);
            }
        }

        return accepted;
    }

    private static async Task<(int Stored, int Affected)> StoreReadingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<CandidateReading> readings, DateTimeOffset now, CancellationToken ct)
    {
        if (readings.Count == 0) return (0, 0);
        await using (var staging = new NpgsqlCommand(
            """
            CREATE TEMP TABLE IF NOT EXISTS ingest_staging (
                station_id text, quantity text, observed_at timestamptz, value double precision, interval_minutes smallint
            ) ON COMMIT DELETE ROWS
            """, connection, transaction))
        {
            await staging.ExecuteNonQueryAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ingest_staging (station_id, quantity, observed_at, value, interval_minutes) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var reading in readings)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(reading.StationId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(DbEnum.Name(reading.Quantity), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(reading.ObservedAt, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(reading.Value, NpgsqlDbType.Double, ct);
                if (reading.IntervalMinutes is { } minutes) await copy.WriteAsync((short)minutes, NpgsqlDbType.Smallint, ct);
                else await copy.WriteNullAsync(ct);
            }

            await copy.CompleteAsync(ct);
        }

        // The same reading twice in one batch (a redelivery racing its original) is stored once, like across batches.
        // The gauges' states are upserted in (station_id, quantity) order: an INSERT takes its rows' locks in the order
        // its SELECT yields them, and the refresher locks in that order too, so the two never wait for each other's rows
        // in opposite orders (40P01; StationStateLockOrderTests). The situation counter comes after, in both.
        await using var insert = new NpgsqlCommand(
            """
            WITH stored AS (
                INSERT INTO readings (station_id, quantity, observed_at, value, interval_minutes, received_at)
                SELECT DISTINCT ON (station_id, quantity, observed_at) station_id, quantity, observed_at, value, interval_minutes, $1
                FROM ingest_staging
                ORDER BY station_id, quantity, observed_at
                ON CONFLICT (station_id, quantity, observed_at) DO NOTHING
                RETURNING station_id, quantity, observed_at, value
            ), latest AS (
                SELECT DISTINCT ON (station_id, quantity) station_id, quantity, observed_at, value
                FROM stored ORDER BY station_id, quantity, observed_at DESC
            ), states AS (
                INSERT INTO station_states AS s (station_id, quantity, observed_at, value, heard_at, dirty)
                SELECT station_id, quantity, observed_at, value, $1, true FROM latest ORDER BY station_id, quantity
                ON CONFLICT (station_id, quantity) DO UPDATE SET
                    heard_at = greatest(s.heard_at, excluded.heard_at),
                    dirty = true,
                    version = s.version + 1,
                    value = CASE WHEN excluded.observed_at > s.observed_at THEN excluded.value ELSE s.value END,
                    observed_at = greatest(s.observed_at, excluded.observed_at)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM stored)::int, (SELECT count(*) FROM states)::int
            """, connection, transaction);
        insert.Parameters.AddWithValue(now);
        await using var reader = await insert.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private static async Task RecordDeadLettersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<ReceivedMessage> messages, IReadOnlyList<RefusedReading> refused, CancellationToken ct)
    {
        if (refused.Count == 0) return;
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY dead_letters (received_at, topic, station_id, reason, detail, payload, payload_bytes) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var refusal in refused)
        {
            var message = messages[refusal.MessageNo];
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(message.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(DeadLetterText.Safe(message.Topic, DeadLetterText.MaxTopicChars), NpgsqlDbType.Text, ct);
            if (refusal.StationId is null) await copy.WriteNullAsync(ct);
            else await copy.WriteAsync(DeadLetterText.Safe(refusal.StationId, DeadLetterText.MaxStationIdChars), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(refusal.Reason, NpgsqlDbType.Text, ct);
            if (refusal.Detail is null) await copy.WriteNullAsync(ct);
            else await copy.WriteAsync(DeadLetterText.Safe(refusal.Detail, DeadLetterText.MaxDetailChars), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(SensorMessages.KeptPayload(message.Payload), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(message.Payload.Length, NpgsqlDbType.Integer, ct);
        }

        await copy.CompleteAsync(ct);
    }
}
