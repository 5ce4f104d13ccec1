using System.Runtime.CompilerServices;
using Bousai.Server.Store;
using Microsoft.Extensions.Options;
using Npgsql;
using Prometheus;

namespace Bousai.Server.Live;

/// <summary>
/// Each server instance's view of the situation event log. It LISTENs for the log's notification (sent on commit,
/// whichever instance committed), reads the new events in order, keeps the most recent in memory, and wakes the
/// clients. Every client follows the log at its own pace from its own position, so a slow phone never holds up HQ.
/// </summary>
public sealed class SituationFeed(
    NpgsqlDataSource db,
    SituationSnapshots snapshots,
    IOptions<LiveOptions> options,
    TimeProvider time,
    ILogger<SituationFeed> logger) : BackgroundService
{
    private const int RelayChunk = 1_000;
    private static readonly Gauge Followers = Metrics.CreateGauge("bousai_live_followers", "Hub clients following the situation now.", "audience");
    private static readonly Counter Resyncs = Metrics.CreateCounter("bousai_live_resyncs_total", "Clients told to reload a snapshot.", "reason");
    private static readonly Gauge RelayedSeq = Metrics.CreateGauge("bousai_live_relayed_seq", "The last situation event this instance relayed.");
    private readonly LiveOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly SituationEvent?[] _recent = new SituationEvent?[options.Value.RecentEventsKept];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;
    private long _oldestRecent;

    /// <summary>The last event this instance has relayed.</summary>
    public long Head
    {
        get { lock (_gate) return _head; }
    }

    /// <summary>
    /// What one client receives: a snapshot when it has nothing (<paramref name="after"/> null), then batches of events
    /// in order, each starting where the previous one ended; or a resync message when it must reload a snapshot.
    /// </summary>
    public async IAsyncEnumerable<SituationMessage> FollowAsync(Audience audience, long? after,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken);
        using var following = Followers.WithLabels(DbEnum.Name(audience)).TrackInProgress();
        long cursor;
        if (after is null)
        {
            var snapshot = audience == Audience.Public
                ? await snapshots.SharedPublicAsync(Head, cancellationToken)
                : await snapshots.LoadAsync(audience, cancellationToken);
            yield return SituationMessage.ForSnapshot(snapshot);
            cursor = snapshot.Seq;
        }
        else
        {
            cursor = after.Value;
            var extent = await SituationEventLog.ExtentAsync(db, cancellationToken);
            var refusal = cursor > extent.LastSeq ? ResyncReason.UnknownPosition
                : cursor < extent.OldestKept - 1 ? ResyncReason.Expired
                : (ResyncReason?)null;
            if (refusal is not null)
            {
                yield return Resync(refusal.Value);
                yield break;
            }

            // An empty batch at once tells a resuming client its position is good, before anything new happens.
            yield return SituationMessage.ForEvents(cursor, cursor, []);
        }

        var sentThrough = cursor;
        while (true)
        {
            await WaitBeyondAsync(cursor, cancellationToken);
            if (Head - cursor > _options.MaxLag)
            {
                yield return Resync(ResyncReason.TooFarBehind);
                yield break;
            }

            var read = await ReadAsync(cursor, cancellationToken);
            if (read is null)
            {
                yield return Resync(ResyncReason.Expired);
                yield break;
            }

            cursor = read[^1].Seq;
            var events = SituationBatches.ForAudience(read, audience);
            if (events.Count == 0) continue;

            yield return SituationMessage.ForEvents(sentThrough, cursor, events);
            sentThrough = cursor;
            if (events.Any(e => e is StationStateChanged) && _options.StationUpdateInterval > TimeSpan.Zero)
            {
                await Task.Delay(_options.StationUpdateInterval, time, cancellationToken);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand("LISTEN situation_events", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (!_started.Task.IsCompleted)
                {
                    var extent = await SituationEventLog.ExtentAsync(db, stoppingToken);
                    lock (_gate)
                    {
                        _head = extent.LastSeq;
                        _oldestRecent = extent.LastSeq + 1;
                    }

                    _started.TrySetResult();
                    logger.LogInformation("Situation feed listening from event {Seq}", extent.LastSeq);
                }

                retryDelay = TimeSpan.FromSeconds(1);
                // Listening first, then reading, so nothing committed in between is missed.
                while (true)
                {
                    await RelayNewEventsAsync(stoppingToken);
                    await connection.WaitAsync(_options.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Situation feed lost the database; listening again in {RetryDelay}", retryDelay);
                await Task.Delay(retryDelay, time, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task RelayNewEventsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var events = await SituationEventLog.ReadAfterAsync(db, Head, RelayChunk, cancellationToken);
            if (events.Count == 0) return;

            TaskCompletionSource advanced;
            lock (_gate)
            {
                foreach (var change in events)
                {
                    _recent[change.Seq % _recent.Length] = change;
                    _head = change.Seq;
                }

                _oldestRecent = Math.Max(_oldestRecent, _head - _recent.Length + 1);
                advanced = _advanced;
                _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            advanced.SetResult();
            RelayedSeq.Set(events[^1].Seq);
            if (events.Count < RelayChunk) return;
        }
    }

    private static SituationMessage Resync(ResyncReason reason)
    {
        Resyncs.WithLabels(DbEnum.Name(reason)).Inc();
        return SituationMessage.ForResync(reason);
    }

    private async Task WaitBeyondAsync(long cursor, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task advanced;
            lock (_gate)
            {
                if (_head > cursor) return;
                advanced = _advanced.Task;
            }

            await advanced.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The events after <paramref name="after"/> up to this instance's head, from memory when it still holds them; null when the log no longer has them.</summary>
    private async Task<IReadOnlyList<SituationEvent>?> ReadAsync(long after, CancellationToken cancellationToken)
    {
        long head;
        lock (_gate)
        {
            head = _head;
            if (after + 1 >= _oldestRecent)
            {
                var count = (int)Math.Min(_options.MaxBatch, head - after);
                var events = new SituationEvent[count];
                for (var i = 0; i < count; i++)
                {
                    events[i] = _recent[(after + 1 + i) % _recent.Length]!;
                }

                return events;
            }
        }

        var stored = await SituationEventLog.ReadAfterAsync(db, after, (int)Math.Min(_options.MaxBatch, head - after), cancellationToken);
        return stored.Count > 0 && stored[0].Seq == after + 1 ? stored : null;
    }
}

/// <summary>Who is listening: staff see every event, the public sees public-safe projections only.</summary>
public enum Audience
{
    Staff,
    Public,
}
