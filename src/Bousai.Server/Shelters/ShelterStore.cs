using Bousai.Domain.Shelters;
using Bousai.Server.Live;
using Npgsql;

namespace Bousai.Server.Shelters;

/// <summary>The SQL of shelters' live status: the status write (inside a situation change) and the snapshot's read.</summary>
public static class ShelterStore
{
    /// <summary>Locks the shelter for this change; its capacity (null when not known), or found = false when there is no such shelter.</summary>
    public static async Task<(bool Found, int? Capacity)> LockAsync(SituationChange change, string shelterId, CancellationToken ct)
    {
        await using var lookup = new NpgsqlCommand("SELECT capacity FROM shelters WHERE id = $1 FOR UPDATE", change.Connection, change.Transaction);
        lookup.Parameters.AddWithValue(shelterId);
        var found = await lookup.ExecuteScalarAsync(ct);
        return found is null ? (false, null) : (true, found as int?);
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

    /// <summary>Every shelter's status (closed, with no head count, until someone opens it), in one statement.</summary>
    public static async Task<IReadOnlyList<ShelterState>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT s.id, coalesce(st.status = 'open', false), coalesce(st.occupancy, 0), s.capacity,
                   coalesce(st.declared_full, false), st.updated_at, st.note, st.updated_by
            FROM shelters s LEFT JOIN shelter_status st ON st.shelter_id = s.id
            ORDER BY s.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var shelters = new List<ShelterState>();
        while (await reader.ReadAsync(ct))
        {
            var open = reader.GetBoolean(1);
            var occupancy = reader.GetInt32(2);
            int? capacity = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            var declaredFull = reader.GetBoolean(4);
            shelters.Add(new ShelterState(reader.GetString(0), open, occupancy, capacity, declaredFull,
                ShelterCrowding.Band(open, occupancy, capacity, declaredFull),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return shelters;
    }
}
