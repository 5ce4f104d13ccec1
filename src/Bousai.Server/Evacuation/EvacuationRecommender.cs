using Bousai.Domain.EvacuationLevels;
using Bousai.Server.Audit;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.OfficialWarnings;
using Npgsql;

namespace Bousai.Server.Evacuation;

/// <summary>
/// Recommends district levels: follows the situation log and, when a gauge's state, an official warning, a district's
/// level or the drill changes, computes the recommendations again (<see cref="EvacuationRecommendations"/>) and brings
/// the open ones in line: a new one for each (district, level, basis) not yet open, nor dismissed while its basis
/// holds; the open ones no longer recommended are superseded. One pass at a time across instances (an advisory lock),
/// so two servers make one recommendation. While a drill is on, what it makes carries the drill and it supersedes only
/// the drill's own: real records are not touched by a drill.
/// </summary>
public sealed class EvacuationRecommender(NpgsqlDataSource db, SituationFeed feed, TimeProvider time, ILogger<EvacuationRecommender> logger)
    : BackgroundService
{
    private const long PassLock = 0x626f757361690013; // "bousai" + 0x13: one recommender pass at a time across instances

    /// <summary>Whether an event can change a recommendation (what it changes is read again, not taken from the event).</summary>
    private static bool CanChangeRecommendations(SituationEvent e) =>
        e is StationStateChanged or StationThresholdsChanged or OfficialWarningChanged or DistrictEvacuationLevelChanged or DrillStarted
            or DrillEnded;

    /// <summary>Follows the live feed (NOTIFY-driven, as the hubs are): one pass at start, then one per batch that can change a recommendation.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var extent = await SituationEventLog.ExtentAsync(db, stoppingToken);
                await EvaluateAsync(stoppingToken);
                retryDelay = TimeSpan.FromSeconds(1);
                await foreach (var message in feed.FollowAsync(Audience.Staff, extent.LastSeq, stoppingToken))
                {
                    // A resync only says this follower fell behind: evaluate from the stored state and follow again.
                    if (message.Type == SituationMessageType.Resync) break;
                    if (message.Events?.Any(CanChangeRecommendations) == true) await EvaluateAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not evaluate district level recommendations; trying again in {RetryDelay}", retryDelay);
                await Task.Delay(retryDelay, time, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>One pass: the recommendations computed now, stored and announced where they differ from the open ones.</summary>
    /// <returns>How many recommendations were made or superseded.</returns>
    public async Task<int> EvaluateAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var passLock = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            passLock.Parameters.AddWithValue(PassLock);
            await passLock.ExecuteNonQueryAsync(ct);
        }

        var now = time.GetUtcNow();
        var drillId = await DrillStore.CurrentIdAsync(connection, transaction, ct);
        var wanted = EvacuationRecommendations.For(
            await EvacuationRecommendationStore.ReadExposuresAsync(connection, transaction, ct),
            await EvacuationRecommendationStore.ReadGaugeStagesAsync(connection, transaction, ct),
            await EvacuationRecommendationStore.ReadOfficialWarningsAsync(connection, transaction, ct));
        var open = await EvacuationRecommendationStore.ReadOpenAsync(connection, transaction, ct);
        var dismissed = await EvacuationRecommendationStore.ReadDismissedWithBasisAsync(connection, transaction, ct);

        static (string, int, string) Key(string district, int level, string basis) => (district, level, basis);
        var wantedKeys = wanted.Select(w => Key(w.DistrictId, w.Level, w.Basis)).ToHashSet();
        var events = new List<SituationEvent>();
        var audits = new List<AuditEntry>();

        foreach (var stale in open.Where(o => o.DrillId == drillId && !wantedKeys.Contains(Key(o.DistrictId, o.Level, o.Basis))))
        {
            var higher = wanted.FirstOrDefault(w => w.DistrictId == stale.DistrictId && w.Level > stale.Level);
            var basisHolds = wanted.Any(w => w.DistrictId == stale.DistrictId && w.Basis == stale.Basis);
            var reason = higher is not null ? $"警戒レベル{higher.Level}の推奨に置き換え / Superseded by a level {higher.Level} recommendation"
                : basisHolds ? "同等以上の警戒レベルが発令済み / A level as high or higher is in force"
                : "根拠が解消 / Its basis has gone away";
            if (await EvacuationRecommendationStore.AnswerAsync(connection, transaction, stale, RecommendationStatus.Superseded,
                    EvacuationRecommendation.System, now, reason, basisEnded: !basisHolds, ct) is not { } superseded)
            {
                continue;
            }

            events.Add(new EvacuationRecommendationAnswered(superseded) { At = now });
            audits.Add(new AuditEntry(EvacuationRecommendation.System, "evacuation.recommendation.supersede", "evacuation_recommendation",
                stale.RecommendationId.ToString(), new Dictionary<string, object?> { ["reason"] = reason }));
        }

        await EvacuationRecommendationStore.MarkBasisEndedAsync(connection, transaction,
            [.. dismissed.Where(d => !wanted.Any(w => w.DistrictId == d.DistrictId && w.Basis == d.Basis)).Select(d => d.RecommendationId)], now, ct);

        var held = open.Concat(dismissed).Select(r => Key(r.DistrictId, r.Level, r.Basis)).ToHashSet();
        foreach (var recommended in wanted.Where(w => !held.Contains(Key(w.DistrictId, w.Level, w.Basis))))
        {
            var made = await EvacuationRecommendationStore.InsertAsync(connection, transaction, recommended, now, drillId, ct);
            events.Add(new EvacuationRecommended(made) { At = now });
            audits.Add(new AuditEntry(EvacuationRecommendation.System, "evacuation.recommendation.make", "evacuation_recommendation",
                made.RecommendationId.ToString(), new Dictionary<string, object?>
                {
                    ["districtId"] = made.DistrictId, ["level"] = made.Level, ["basis"] = made.Basis, ["reason"] = made.ReasonJa,
                }));
        }

        if (events.Count == 0) return 0;
        foreach (var audit in audits) await AuditLog.RecordAsync(connection, transaction, audit, ct);
        await SituationEventLog.AppendManyAsync(connection, transaction, events, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("District level recommendations: {Made} made, {Superseded} superseded",
            events.Count(e => e is EvacuationRecommended), events.Count(e => e is EvacuationRecommendationAnswered));
        return events.Count;
    }
}
