using System.Text.Json;
using Bousai.Server.Geodata;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.Live;

/// <summary>
/// Keeps the checkpoints of the situation: the first one read from the live tables, then one every Live:CheckpointEvery
/// events by applying the events to the previous one (catching up on a long log in one go), and a new one from the live
/// tables after an import of geodata, which the log does not carry. One instance at a time does it (an advisory lock);
/// a checkpoint made twice is kept once.
/// </summary>
public sealed class SituationCheckpointer(NpgsqlDataSource db, IOptions<LiveOptions> options, TimeProvider time,
    ILogger<SituationCheckpointer> logger) : BackgroundService
{
    private const long LockKey = 0x5349_5443_4850; // "SITCHP"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, time);
        do
        {
            try
            {
                await WriteDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidDataException or InvalidOperationException or JsonException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not write a situation checkpoint; trying again in {Interval}", options.Value.CheckpointInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Writes every checkpoint that is due; returns how many (0 when another instance is at it).</summary>
    public async Task<int> WriteDueAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
        {
            take.Parameters.AddWithValue(LockKey);
            if (!(bool)(await take.ExecuteScalarAsync(ct))!) return 0;
        }

        try
        {
            return await WriteDueAsync(connection, ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.AddWithValue(LockKey);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<int> WriteDueAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var every = options.Value.CheckpointEvery;
        var newest = await SituationCheckpoints.ReadAsync(connection, "ORDER BY seq DESC LIMIT 1", [], ct);
        if (newest is null || newest.GeodataRevision != await GeodataRevision.ReadAsync(connection, null, ct))
        {
            var (parts, revision) = await SituationCheckpoints.ReadLiveAsync(db, time.GetUtcNow(), ct);
            if (newest is not null && parts.Seq == newest.Seq)
            {
                // The same position with other geodata: the checkpoint there now says what the tables say.
                await using var drop = new NpgsqlCommand("DELETE FROM situation_checkpoints WHERE seq = $1", connection);
                drop.Parameters.AddWithValue(parts.Seq);
                await drop.ExecuteNonQueryAsync(ct);
            }

            await SituationCheckpoints.WriteAsync(connection, parts, "store", revision, ct);
            logger.LogInformation("Situation checkpoint at event {Seq} read from the live tables", parts.Seq);
            return 1 + await WriteDueAsync(connection, ct);
        }

        var written = 0;
        var situation = RecordedSituation.FromParts(newest.Parts);
        var head = (await SituationEventLog.ExtentAsync(db, ct)).LastSeq;
        while (head - situation.Seq >= every)
        {
            var target = situation.Seq + every;
            while (situation.Seq < target)
            {
                var events = await SituationEventLog.ReadAfterAsync(connection, null, situation.Seq, (int)Math.Min(5_000, target - situation.Seq), ct);
                if (events.Count == 0) return written;
                foreach (var change in events) situation.Apply(change);
            }

            if (await SituationCheckpoints.WriteAsync(connection, situation.ToParts(), "replay", newest.GeodataRevision, ct)) written++;
        }

        if (written > 0) logger.LogInformation("Wrote {Count} situation checkpoints up to event {Seq}", written, situation.Seq);
        return written;
    }
}
