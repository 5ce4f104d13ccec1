using System.Data;
using Bousai.Server.Alerts;
using Bousai.Server.Drills;
using Bousai.Server.Evacuation;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;
using Npgsql;

namespace Bousai.Server.Live;

/// <summary>The whole situation as of event Seq: what a client starts from before it applies events after Seq.</summary>
public sealed record SituationSnapshot(
    long Seq,
    DateTimeOffset At,
    IReadOnlyList<ShelterState> Shelters,
    IReadOnlyList<DistrictEvacuation> Districts,
    IReadOnlyList<StationState> Stations,
    IReadOnlyList<FieldReport> Reports,
    IReadOnlyList<AlertState> Alerts,
    IReadOnlyList<SituationEvent> Recent,
    Drill? Drill = null)
{
    /// <summary>The official warnings in force in the live picture (public form for residents).</summary>
    public IReadOnlyList<OfficialWarning>? OfficialWarnings { get; init; }
    /// <summary>The system's open recommendations of district levels (staff only; null for the public).</summary>
    public IReadOnlyList<EvacuationRecommendation>? Recommendations { get; init; }
}

public sealed class SituationSnapshots(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>How many recent events (other than gauge states, which a storm produces by the thousand) staff get with a snapshot, for the activity list.</summary>
    public const int RecentEvents = 50;

    private readonly Lock _gate = new();
    private (long Head, Task<SituationSnapshot> Load)? _public;

    /// <summary>
    /// The public snapshot, read once per position of the feed and shared: thousands of residents opening the page
    /// after an alert cost one read. Any snapshot is a valid start, as the client then follows the events after its Seq.
    /// </summary>
    public Task<SituationSnapshot> SharedPublicAsync(long feedHead, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_public is not { } cached || cached.Head != feedHead || cached.Load.IsFaulted || cached.Load.IsCanceled)
            {
                cached = (feedHead, LoadAsync(Audience.Public, CancellationToken.None));
                _public = cached;
            }

            return cached.Load.WaitAsync(ct);
        }
    }

    /// <summary>Drops the shared public snapshot, for a change the log does not carry (an import of geodata names new shelters).</summary>
    public void ForgetShared()
    {
        lock (_gate) _public = null;
    }

    /// <summary>
    /// Reads the state and the log position in one repeatable-read transaction. Every change writes its state and its
    /// event in one transaction, so the state read is exactly the state after event Seq.
    /// </summary>
    public async Task<SituationSnapshot> LoadAsync(Audience audience, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        long seq;
        await using (var position = new NpgsqlCommand("SELECT last_seq FROM situation_event_sequence", connection, transaction))
        {
            seq = (long)(await position.ExecuteScalarAsync(ct))!;
        }

        var isPublic = audience == Audience.Public;
        var shelters = await ShelterStore.ReadAllAsync(connection, transaction, ct);
        var districts = await DistrictEvacuationStore.ReadAllAsync(connection, transaction, ct);
        var stations = await StationStates.ReadAllAsync(connection, transaction, ct);
        var reports = await FieldReportStore.ReadCurrentAsync(connection, transaction, publicOnly: isPublic, ct);
        IReadOnlyList<AlertState> alerts = isPublic ? [] : await AlertStore.ReadActiveAsync(connection, transaction, ct);
        IReadOnlyList<SituationEvent> recent = isPublic
            ? []
            : await SituationEventLog.ReadRecentDecisionsAsync(connection, transaction, RecentEvents, ct);
        var drill = await DrillStore.CurrentAsync(connection, transaction, ct);
        var officialWarnings = await OfficialWarningStore.ReadInForceAsync(connection, transaction, ct);
        var recommendations = isPublic ? null : await EvacuationRecommendationStore.ReadOpenAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);

        return isPublic
            ? new SituationSnapshot(seq, time.GetUtcNow(), [.. shelters.Select(s => s.ForPublic())], [.. districts.Select(d => d.ForPublic())],
                stations, [.. reports.Select(r => r.ForPublic())], alerts, recent, drill?.ForPublic())
            {
                OfficialWarnings = [.. officialWarnings.Select(w => w.ForPublic())],
            }
            : new SituationSnapshot(seq, time.GetUtcNow(), shelters, districts, stations, reports, alerts, recent, drill)
            {
                OfficialWarnings = officialWarnings,
                Recommendations = recommendations,
            };
    }
}
