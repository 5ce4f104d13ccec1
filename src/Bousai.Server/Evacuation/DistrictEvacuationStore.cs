using Bousai.Server.Live;
using Npgsql;

namespace Bousai.Server.Evacuation;

/// <summary>The SQL of districts' 警戒レベル: the level write (inside a situation change) and the snapshot's read.</summary>
public static class DistrictEvacuationStore
{
    /// <summary>Locks the district for this change; its current level (0 when none was issued), or null when there is no such district.</summary>
    public static async Task<int?> LockLevelAsync(SituationChange change, string districtId, CancellationToken ct)
    {
        await using var lookup = new NpgsqlCommand(
            """
            SELECT coalesce(l.level, 0)::int FROM districts d
            LEFT JOIN district_evacuation_levels l ON l.district_id = d.id
            WHERE d.id = $1 FOR UPDATE OF d
            """, change.Connection, change.Transaction);
        lookup.Parameters.AddWithValue(districtId);
        return await lookup.ExecuteScalarAsync(ct) is int level ? level : null;
    }

    public static async Task SaveAsync(SituationChange change, DistrictEvacuation district, CancellationToken ct)
    {
        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO district_evacuation_levels (district_id, level, decided_by, entered_by, issued_at, reason) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (district_id) DO UPDATE SET level = excluded.level, decided_by = excluded.decided_by,
                entered_by = excluded.entered_by, issued_at = excluded.issued_at, reason = excluded.reason
            """, change.Connection, change.Transaction);
        upsert.Parameters.AddWithValue(district.DistrictId);
        upsert.Parameters.AddWithValue((short)district.Level);
        upsert.Parameters.AddWithValue(district.DecidedBy!);
        upsert.Parameters.AddWithValue(district.EnteredBy!);
        upsert.Parameters.AddWithValue(district.IssuedAt!.Value);
        upsert.Parameters.AddWithValue(district.Reason!);
        await upsert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every district with its level (0 and no record when the town has issued none).</summary>
    public static async Task<IReadOnlyList<DistrictEvacuation>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT d.id, coalesce(l.level, 0)::int, l.issued_at, l.decided_by, l.entered_by, l.reason
            FROM districts d LEFT JOIN district_evacuation_levels l ON l.district_id = d.id
            ORDER BY d.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var districts = new List<DistrictEvacuation>();
        while (await reader.ReadAsync(ct))
        {
            districts.Add(new DistrictEvacuation(reader.GetString(0), reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return districts;
    }
}
