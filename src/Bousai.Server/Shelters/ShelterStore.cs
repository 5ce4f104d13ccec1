using Bousai.Domain.Shelters;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>What changed in one row of a shelter's history.</summary>
public enum ShelterChange
{
    Opened,
    Closed,
    Count,
    Correction,
    DeclaredFull,
    FullLifted,
    Note,
    Registry,
}

/// <summary>One point of a shelter's history, for HQ's chart of head count against capacity.</summary>
public sealed record ShelterHistoryEntry(DateTimeOffset At, ShelterChange Change, bool Open, int Occupancy, int? Capacity, bool DeclaredFull,
    CrowdingBand Crowding, string Actor);

/// <summary>
/// The SQL of shelters: their live status and registry, read with their suitability (the hazard zones that contain
/// them, by PostGIS, judged against the announced hazards), the status and registry writes (inside a situation
/// change), head counts, and history.
/// </summary>
public static class ShelterStore
{
    private const string StateSql =
        """
        SELECT s.id, coalesce(st.status = 'open', false), coalesce(st.occupancy, 0), s.capacity,
               coalesce(st.declared_full, false), st.updated_at, st.note, st.updated_by,
               s.hazards, s.kind, s.capacity_assumed, s.accessible, s.contact,
               coalesce(flood.rivers_ja, '{}'), coalesce(flood.rivers_en, '{}'), landslide.inside
        FROM shelters s
        LEFT JOIN shelter_status st ON st.shelter_id = s.id
        LEFT JOIN LATERAL (
            SELECT array_agg(z.river ORDER BY z.river) AS rivers_ja, array_agg(coalesce(r.name_en, z.river) ORDER BY z.river) AS rivers_en
            FROM (SELECT DISTINCT z.properties->>'river' AS river FROM hazard_zones z
                  WHERE z.hazard = 'flood' AND z.properties->>'river' IS NOT NULL AND ST_Intersects(z.geom, s.geom)) z
            LEFT JOIN LATERAL (SELECT name_en FROM rivers WHERE name_ja = z.river ORDER BY id LIMIT 1) r ON true) flood ON true
        CROSS JOIN LATERAL (
            SELECT EXISTS (SELECT 1 FROM hazard_zones z WHERE z.hazard = 'landslide' AND ST_Intersects(z.geom, s.geom)) AS inside) landslide
        """;

    /// <summary>Locks the shelter for this change; its current state, or null when there is no such shelter.</summary>
    public static async Task<ShelterState?> LockAsync(SituationChange change, string shelterId, CancellationToken ct)
    {
        await using (var lookup = new NpgsqlCommand("SELECT 1 FROM shelters WHERE id = $1 FOR UPDATE", change.Connection, change.Transaction))
        {
            lookup.Parameters.AddWithValue(shelterId);
            if (await lookup.ExecuteScalarAsync(ct) is null) return null;
        }

        return await ReadAsync(change.Connection, change.Transaction, shelterId, ct);
    }

    public static async Task SaveStatusAsync(SituationChange change, ShelterState state, CancellationToken ct)
    {
        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO shelter_status (shelter_id, status, occupancy, declared_full, note, updated_by, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (shelter_id) DO UPDATE SET status = excluded.status, occupancy = excluded.occupancy,
                declared_full = excluded.declared_full, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """, change.Connection, change.Transaction);
        upsert.Parameters.AddWithValue(state.ShelterId);
        upsert.Parameters.AddWithValue(state.Open ? "open" : "closed");
        upsert.Parameters.AddWithValue(state.Occupancy);
        upsert.Parameters.AddWithValue(state.DeclaredFull);
        upsert.Parameters.AddWithValue((object?)state.Note ?? DBNull.Value);
        upsert.Parameters.AddWithValue(state.UpdatedBy!);
        upsert.Parameters.AddWithValue(state.UpdatedAt!.Value);
        await upsert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A tap batch already counted under this client id: its shelter, delta and the head count it left.</summary>
    public sealed record CountedBatch(string ShelterId, int Delta, int Applied, int OccupancyAfter);

    /// <summary>
    /// Claims the client id for this batch; null when claimed, else the batch already counted under it (a retry). The
    /// claim comes first, so a retry racing its original waits for it and then finds it, and never counts twice.
    /// </summary>
    public static async Task<CountedBatch?> ClaimCountAsync(SituationChange change, Guid clientId, string shelterId, int delta, string user,
        DateTimeOffset at, CancellationToken ct)
    {
        await using (var claim = new NpgsqlCommand(
            """
            INSERT INTO shelter_counts (client_id, shelter_id, delta, applied, occupancy_after, at, by_user) VALUES ($1, $2, $3, 0, 0, $4, $5)
            ON CONFLICT (client_id) DO NOTHING
            """, change.Connection, change.Transaction))
        {
            claim.Parameters.AddWithValue(clientId);
            claim.Parameters.AddWithValue(shelterId);
            claim.Parameters.AddWithValue(delta);
            claim.Parameters.AddWithValue(at);
            claim.Parameters.AddWithValue(user);
            if (await claim.ExecuteNonQueryAsync(ct) == 1) return null;
        }

        await using var find = new NpgsqlCommand(
            "SELECT shelter_id, delta, applied, occupancy_after FROM shelter_counts WHERE client_id = $1", change.Connection, change.Transaction);
        find.Parameters.AddWithValue(clientId);
        await using var reader = await find.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new CountedBatch(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
    }

    /// <summary>
    /// Adds delta to an open shelter's head count in one UPDATE (never below 0), so concurrent batches from several
    /// phones all count; the head count before and after, or null when the shelter is not open.
    /// </summary>
    public static async Task<(int Before, int After)?> AddToCountAsync(SituationChange change, Guid clientId, string shelterId, int delta, string user,
        DateTimeOffset at, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(change.Connection, change.Transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    UPDATE shelter_status st SET occupancy = greatest(0, st.occupancy + $2), updated_by = $3, updated_at = $4
                    FROM (SELECT occupancy FROM shelter_status WHERE shelter_id = $1 AND status = 'open' FOR UPDATE) before
                    WHERE st.shelter_id = $1 AND st.status = 'open'
                    RETURNING before.occupancy, st.occupancy
                    """),
            },
        };
        var p = batch.BatchCommands[0].Parameters;
        p.AddWithValue(shelterId);
        p.AddWithValue(delta);
        p.AddWithValue(user);
        p.AddWithValue(at);
        int before, after;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return null;
            before = reader.GetInt32(0);
            after = reader.GetInt32(1);
        }

        await using var record = new NpgsqlCommand("UPDATE shelter_counts SET applied = $2, occupancy_after = $3 WHERE client_id = $1",
            change.Connection, change.Transaction);
        record.Parameters.AddWithValue(clientId);
        record.Parameters.AddWithValue(after - before);
        record.Parameters.AddWithValue(after);
        await record.ExecuteNonQueryAsync(ct);
        return (before, after);
    }

    /// <summary>The registry fields HQ edits.</summary>
    public sealed record Registry(int? Capacity, bool CapacityAssumed, IReadOnlyList<string> Hazards, ShelterKind Kind, bool Accessible, string? Contact);

    public static async Task SaveRegistryAsync(SituationChange change, string shelterId, Registry registry, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            """
            UPDATE shelters SET capacity = $2, capacity_assumed = $3, hazards = $4, kind = $5, accessible = $6, contact = $7, updated_at = now()
            WHERE id = $1
            """, change.Connection, change.Transaction);
        update.Parameters.AddWithValue(shelterId);
        update.Parameters.AddWithValue((object?)registry.Capacity ?? DBNull.Value);
        update.Parameters.AddWithValue(registry.CapacityAssumed);
        update.Parameters.AddWithValue(registry.Hazards.ToArray());
        update.Parameters.AddWithValue(DbEnum.Name(registry.Kind));
        update.Parameters.AddWithValue(registry.Accessible);
        update.Parameters.AddWithValue((object?)registry.Contact ?? DBNull.Value);
        await update.ExecuteNonQueryAsync(ct);
    }

    public static async Task<IReadOnlyList<string>> HazardsOfAsync(SituationChange change, string shelterId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT hazards FROM shelters WHERE id = $1", change.Connection, change.Transaction);
        command.Parameters.AddWithValue(shelterId);
        return (string[])(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task AddHistoryAsync(SituationChange change, ShelterState state, ShelterChange what, string actor, DateTimeOffset at, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO shelter_history (shelter_id, at, change, open, occupancy, capacity, declared_full, actor)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, change.Connection, change.Transaction);
        insert.Parameters.AddWithValue(state.ShelterId);
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(DbEnum.Name(what));
        insert.Parameters.AddWithValue(state.Open);
        insert.Parameters.AddWithValue(state.Occupancy);
        insert.Parameters.AddWithValue((object?)state.Capacity ?? DBNull.Value);
        insert.Parameters.AddWithValue(state.DeclaredFull);
        insert.Parameters.AddWithValue(actor);
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A shelter's history, oldest first, from <paramref name="since"/> on (everything when null).</summary>
    public static async Task<IReadOnlyList<ShelterHistoryEntry>> ReadHistoryAsync(NpgsqlConnection connection, string shelterId, DateTimeOffset? since,
        DateTimeOffset? until, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT at, change, open, occupancy, capacity, declared_full, actor FROM shelter_history
            WHERE shelter_id = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at <= $3) ORDER BY at, id
            """, connection);
        command.Parameters.AddWithValue(shelterId);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)since?.ToUniversalTime() ?? DBNull.Value);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)until?.ToUniversalTime() ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<ShelterHistoryEntry>();
        while (await reader.ReadAsync(ct))
        {
            var open = reader.GetBoolean(2);
            var occupancy = reader.GetInt32(3);
            int? capacity = reader.IsDBNull(4) ? null : reader.GetInt32(4);
            var declaredFull = reader.GetBoolean(5);
            entries.Add(new ShelterHistoryEntry(reader.GetFieldValue<DateTimeOffset>(0), DbEnum.Parse<ShelterChange>(reader.GetString(1)), open, occupancy,
                capacity, declaredFull, ShelterCrowding.Band(open, occupancy, capacity, declaredFull), reader.GetString(6)));
        }

        return entries;
    }

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string shelterId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM shelters WHERE id = $1", connection, transaction);
        command.Parameters.AddWithValue(shelterId);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    public static async Task<ShelterState?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string shelterId, CancellationToken ct)
    {
        var hazards = HazardStore.ToActive(await HazardStore.ReadAnnouncedAsync(connection, transaction, forUpdate: false, ct));
        return (await ReadAsync(connection, transaction, hazards, StateSql + " WHERE s.id = $1", shelterId, ct)).SingleOrDefault();
    }

    /// <summary>Every shelter's state (closed, with no head count, until someone opens it), judged by the announced hazards.</summary>
    public static async Task<IReadOnlyList<ShelterState>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var hazards = HazardStore.ToActive(await HazardStore.ReadAnnouncedAsync(connection, transaction, forUpdate: false, ct));
        return await ReadAllAsync(connection, transaction, hazards, ct);
    }

    /// <summary>Every shelter's state judged by <paramref name="hazards"/> (the set about to be announced).</summary>
    public static Task<IReadOnlyList<ShelterState>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ActiveHazards hazards,
        CancellationToken ct) => ReadAsync(connection, transaction, hazards, StateSql + " ORDER BY s.id", null, ct);

    private static async Task<IReadOnlyList<ShelterState>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ActiveHazards hazards,
        string sql, string? shelterId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (shelterId is not null) command.Parameters.AddWithValue(shelterId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var shelters = new List<ShelterState>();
        while (await reader.ReadAsync(ct))
        {
            var open = reader.GetBoolean(1);
            var occupancy = reader.GetInt32(2);
            int? capacity = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            var declaredFull = reader.GetBoolean(4);
            var kind = DbEnum.Parse<ShelterKind>(reader.GetString(9));
            var riversJa = reader.GetFieldValue<string[]>(13);
            var riversEn = reader.GetFieldValue<string[]>(14);
            var designated = reader.GetFieldValue<string[]>(8);
            var site = new ShelterSite(designated, kind,
                [.. riversJa.Select((ja, i) => new RiverName(ja, riversEn[i]))], reader.GetBoolean(15));
            shelters.Add(new ShelterState(reader.GetString(0), open, occupancy, capacity, declaredFull,
                ShelterCrowding.Band(open, occupancy, capacity, declaredFull),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                ShelterSuitability.Of(site, hazards), kind, designated, reader.GetBoolean(10), reader.GetBoolean(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return shelters;
    }
}
