using Prometheus;

namespace Bousai.Server.Sensors;

/// <summary>What readiness says of ingestion.</summary>
/// <param name="Subscribed">Connected to the broker and subscribed.</param>
/// <param name="Stuck">Messages are waiting and nothing has been committed for StuckAfter.</param>
/// <param name="Unacknowledged">Messages received and not yet acknowledged to the broker.</param>
/// <param name="OldestUnacknowledgedSeconds">How long the oldest of them has waited; 0 when none does.</param>
/// <param name="LastCommitAt">When a batch last committed, if one has since this process started.</param>
public sealed record IngestionStatus(bool Subscribed, bool Stuck, int Unacknowledged, double OldestUnacknowledgedSeconds, DateTimeOffset? LastCommitAt);

/// <summary>
/// The messages of one broker connection from their receipt to their acknowledgement. They are taken and acknowledged
/// in the order they arrived, so the oldest waiting is the first of a queue. Ingestion is stuck when something waits
/// and nothing has committed for StuckAfter: a reading is not late because the gauges are quiet, only because the
/// pipeline is.
/// </summary>
public sealed class IngestionProgress(TimeProvider time)
{
    private static readonly Gauge OldestUnacknowledged = Metrics.CreateGauge("bousai_ingest_oldest_unacknowledged_seconds",
        "Age of the oldest gauge message received but not yet acknowledged to the broker (0 when none waits).");

    // Metrics are per process; a process runs one ingester, except a test run hosting several servers.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IngestionProgress, byte> Live = new();

    static IngestionProgress() =>
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() => OldestUnacknowledged.Set(Live.Keys.Select(p => p.OldestWaiting()).DefaultIfEmpty(0).Max()));

    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _waiting = new();
    private DateTimeOffset? _lastCommit;

    /// <summary>Shown in bousai_ingest_oldest_unacknowledged_seconds until the returned handle is disposed.</summary>
    public IDisposable Publish()
    {
        Live[this] = 0;
        return new Unpublish(this);
    }

    private sealed class Unpublish(IngestionProgress progress) : IDisposable
    {
        public void Dispose() => Live.TryRemove(progress, out _);
    }

    /// <summary>A new connection: whatever the old one held unacknowledged the broker redelivers, as new receipts.</summary>
    public void Reset()
    {
        lock (_lock) _waiting.Clear();
    }

    public void Received()
    {
        lock (_lock) _waiting.Enqueue(time.GetUtcNow());
    }

    public void Committed()
    {
        lock (_lock) _lastCommit = time.GetUtcNow();
    }

    /// <summary>The first count waiting messages are done with (acknowledged, or their connection is gone).</summary>
    public void Acknowledged(int count)
    {
        lock (_lock)
        {
            for (var i = 0; i < count && _waiting.Count > 0; i++) _waiting.Dequeue();
        }
    }

    public double OldestWaiting()
    {
        lock (_lock) return _waiting.Count == 0 ? 0 : Math.Max(0, (time.GetUtcNow() - _waiting.Peek()).TotalSeconds);
    }

    public IngestionStatus Status(bool subscribed, TimeSpan stuckAfter)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var oldest = _waiting.Count == 0 ? (DateTimeOffset?)null : _waiting.Peek();
            // Waiting since the later of its receipt and the last commit: a long queue that keeps committing is busy, not stuck.
            var stuck = oldest is { } o && now - (_lastCommit is { } c && c > o ? c : o) >= stuckAfter;
            return new IngestionStatus(subscribed, stuck, _waiting.Count, oldest is { } first ? Math.Max(0, (now - first).TotalSeconds) : 0, _lastCommit);
        }
    }
}
