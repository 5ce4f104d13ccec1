using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.Live;

/// <summary>
/// Forgets situation events and checkpoints older than Live:LogRetention, hourly: the record then begins at the oldest
/// checkpoint kept. Clients further back than that reload a snapshot.
/// </summary>
public sealed class SituationLogPruner(NpgsqlDataSource db, IOptions<LiveOptions> options, TimeProvider time,
    ILogger<SituationLogPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var pruned = await SituationEventLog.PruneAsync(db, time.GetUtcNow() - options.Value.LogRetention, stoppingToken);
                if (pruned > 0) logger.LogInformation("Pruned {Count} situation events older than {Retention}", pruned, options.Value.LogRetention);
            }
            catch (NpgsqlException ex)
            {
                logger.LogWarning(ex, "Could not prune the situation event log; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
