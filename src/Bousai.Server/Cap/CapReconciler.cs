using Bousai.Server.Live;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.Cap;

/// <summary>
/// Keeps the CAP feed in step with the situation: follows the situation log and, after any change other than gauge
/// readings (levels, warnings, alerts, a drill starting or ending), compares what is current with the last message of
/// every item and emits the Alerts, Updates and Cancels that differ. One reconciliation at a time across instances
/// (an advisory lock in its transaction), and it starts from what is stored, so a restart or a second instance sends
/// nothing twice.
/// </summary>
public sealed class CapReconciler(
    NpgsqlDataSource db,
    SituationFeed feed,
    IOptions<CapOptions> options,
    TimeProvider time,
    ILogger<CapReconciler> logger) : BackgroundService
{
    /// <summary>The messages this call emitted (none when the feed already says what is current).</summary>
    public async Task<IReadOnlyList<CapMessage>> ReconcileAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await CapStore.LockForReconcileAsync(connection, transaction, ct);
        var current = await CapStore.ReadCurrentItemsAsync(connection, transaction, options.Value.MaxPolygonPoints, ct);
        var latest = await CapStore.ReadLatestAsync(connection, transaction, ct);
        var messages = CapPlan.Next(current, latest, time.GetUtcNow(), options.Value);
        await CapStore.SaveAsync(connection, transaction, messages, options.Value, ct);
        await transaction.CommitAsync(ct);
        foreach (var message in messages)
        {
            logger.LogInformation("CAP {MsgType} {Identifier} ({Status})", message.MsgType, message.Identifier, message.Status);
        }

        return messages;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var extent = await SituationEventLog.ExtentAsync(db, stoppingToken);
                await ReconcileAsync(stoppingToken);
                retryDelay = TimeSpan.FromSeconds(1);
                await foreach (var message in feed.FollowAsync(Audience.Staff, extent.LastSeq, stoppingToken))
                {
                    // A resync only says this follower fell behind: reconcile from the stored state and follow again.
                    if (message.Type == SituationMessageType.Resync) break;
                    if (message.Events?.Any(e => e is not StationStateChanged) == true) await ReconcileAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "CAP feed could not reconcile; trying again in {RetryDelay}", retryDelay);
                await Task.Delay(retryDelay, time, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
