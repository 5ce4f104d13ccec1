namespace Bousai.Bench.Ingest;

/// <summary>
/// What each phase of `./bousai bench ingest` measured. Phases run against separately started servers (the station update
/// interval is fixed per server process), so each one appends its result as a JSON line and `ingest-report` renders them.
/// </summary>
public sealed record PhaseResult(string Kind, string Label, DateTimeOffset At, LoadResult? Load, LatencyResult? Latency, BaselineResult[]? Baselines);

/// <summary>Rows written by the bench process itself, straight into PostgreSQL, in the server's batch size.</summary>
public sealed record BaselineResult(string Name, long Rows, int BatchRows, double Seconds, double CpuCores)
{
    public double RowsPerSecond => Rows / Seconds;
}

/// <summary>CPU time per party over a window, in cores (CPU seconds ÷ wall seconds; 2.0 is the whole machine).</summary>
public sealed record CpuSplit(double Server, double PostgreSql, double Mosquitto, double Publisher, double Bench, double Machine)
{
    public double Other => Math.Max(0, Machine - Server - PostgreSql - Mosquitto - Publisher - Bench);
}

/// <summary>The server's ingestion counters (its /metrics) over a window.</summary>
public sealed record BatchStats(long Messages, long Readings, long Batches, double CommitSeconds, double Seconds)
{
    public double MessagesPerBatch => Batches == 0 ? 0 : (double)Messages / Batches;
    public double ReadingsPerBatch => Batches == 0 ? 0 : (double)Readings / Batches;
    public double CommitMs => Batches == 0 ? 0 : CommitSeconds * 1000 / Batches;
    public double BatchesPerSecond => Batches / Seconds;

    /// <summary>Share of the window the server's single writer spent inside a commit.</summary>
    public double Busy => CommitSeconds / Seconds;
}

/// <summary>One PostgreSQL wait (or "CPU" when an active backend waits for nothing), as a share of the samples of active backends.</summary>
public sealed record WaitShare(string Statement, string Wait, int Samples, double Share);

/// <summary>Time per statement kind from pg_stat_statements over the publishing window.</summary>
public sealed record StatementTime(string Statement, long Calls, double TotalMs, long Rows);

public sealed record LoadResult(
    int Stations,
    int Rate,
    int Batch,
    int DurationSeconds,
    long MessagesPublished,
    long MessagesAcknowledged,
    long ReadingsPublished,
    long ReadingsAcknowledged,
    long MessagesFailed,
    double PublishSeconds,
    long StoredWhilePublishing,
    long StoredTotal,
    long Duplicates,
    long DeadLetters,
    bool Drained,
    double DrainSeconds,
    double FirstToLastCommitSeconds,
    long? BrokerQueuedAtEnd,
    double BestTenSecondRate,
    CpuSplit CpuPublishing,
    CpuSplit? CpuDraining,
    BatchStats BatchesPublishing,
    BatchStats? BatchesDraining,
    long SituationEvents,
    WaitShare[] Waits,
    StatementTime[] Statements,
    double[] StoredPerSecond,
    string ServerSettings,
    string? TcpAtStop,
    string? TcpAtDrainLimit)
{
    public double OfferedRate => ReadingsAcknowledged / PublishSeconds;
    public double CommittedWhilePublishingRate => StoredWhilePublishing / PublishSeconds;
    public double SustainedRate => FirstToLastCommitSeconds > 0 ? StoredTotal / FirstToLastCommitSeconds : 0;
    public long BacklogAtStop => ReadingsAcknowledged - StoredWhilePublishing;
}

public sealed record LatencyResult(
    string StationUpdateInterval,
    int Stations,
    int RatePerStation,
    double MeasuredSeconds,
    long Published,
    long Acknowledged,
    long EventsDelivered,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long FreshnessSamples,
    double FreshP50Ms,
    double FreshP99Ms,
    double FreshMaxMs,
    double PublishToBatchMs,
    double BatchToEventMs,
    double EventToClientMs,
    double ServerCpuCores,
    double MachineCpuCores,
    string? Failure);
