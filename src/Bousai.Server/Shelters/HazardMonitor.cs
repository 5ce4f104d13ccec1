using Bousai.Server.Live;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>
/// Announces a change of the active hazards: compares the hazards computed now with the set last announced, under
/// that row's lock, and logs one hazards_changed (with every shelter judged again) only when they differ. Run after
/// the gauge states' refresher commits; two instances doing so at once announce a change exactly once.
/// </summary>
public sealed class HazardMonitor(NpgsqlDataSource db, TimeProvider time, ILogger<HazardMonitor> logger)
{
    /// <summary>Whether it logged a hazards_changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var change = await ChangedEventAsync(connection, transaction, ct);
        if (change is null) return false;
        await SituationEventLog.AppendAsync(connection, transaction, change, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Active hazards changed: {Hazards}", string.Join(", ", change.Hazards.Where(h => h.Active).Select(h => h.Hazard)));
        return true;
    }

    /// <summary>
    /// Locks the announced set, computes the hazards and stores them if they differ; the event to log in this
    /// transaction, or null when nothing changed.
    /// </summary>
    public async Task<HazardsChanged?> ChangedEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await HazardStore.ReadAnnouncedAsync(connection, transaction, forUpdate: true, ct);
        var hazards = await HazardStore.ComputeAsync(connection, transaction, ct);
        if (!await HazardStore.AnnounceIfChangedAsync(connection, transaction, hazards, ct)) return null;
        var shelters = await ShelterStore.ReadAllAsync(connection, transaction, HazardStore.ToActive(hazards), ct);
        return new HazardsChanged(hazards, shelters) { At = time.GetUtcNow() };
    }
}
