using Bousai.Server.Drills;
using Bousai.Server.Live;
using Npgsql;

namespace Bousai.Server.Evacuation;

/// <summary>
/// The SQL of districts' 警戒レベル: the level write (inside a situation change) and the snapshot's read. A level
/// issued during a drill is a row of its own beside the real one (drill_id); the live picture shows the drill's row
/// while that drill is on, the real one otherwise.
/// </summary>
public static class DistrictEvacuationStore
{
    private static readonly string LiveLevel =
        $"""
        SELECT l.level, l.issued_at, l.decided_by, l.entered_by, l.reason, l.recommendation_id, l.drill_id
        FROM district_evacuation_levels l
        WHERE l.district_id = d.id AND {DrillStore.InLivePicture("l")}
        ORDER BY l.drill_id IS NULL
        LIMIT 1
        """;

    /// <summary>Locks the district for this change; its current level in the live picture (0 when none was issued), or null when there is no such district.</summary>
    public static async Task<int?> LockLevelAsync(SituationChange change, string districtId, CancellationToken ct)
    {
        await using var lookup = new NpgsqlCommand(
            $"""
            SELECT coalesce(l.level, 0)::int FROM districts d
            LEFT JOIN LATERAL ({LiveLevel}) l ON true
            WHERE d.id = $1 FOR UPDATE OF d
            """, change.Connection, change.Transaction);
        lookup.Parameters.AddWithValue(districtId);
        return await lookup.ExecuteScalarAsync(ct) is int level ? level : null;
    }

    /// <summary>Writes the district's level: the real row, or the drill's row when <see cref="DistrictEvacuation.DrillId"/> is set.</summary>
    public static async Task SaveAsync(SituationChange change, DistrictEvacuation district, CancellationToken ct)
    {
        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO district_evacuation_levels (district_id, level, decided_by, entered_by, issued_at, reason, recommendation_id, drill_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT ON CONSTRAINT district_evacuation_levels_one_per_drill DO UPDATE SET level = excluded.level, decided_by = excluded.decided_by,
                entered_by = excluded.entered_by, issued_at = excluded.issued_at, reason = excluded.reason,
                recommendation_id = excluded.recommendation_id
            """, change.Connection, change.Transaction);
        upsert.Parameters.AddWithValue(district.DistrictId);
        upsert.Parameters.AddWithValue((short)district.Level);
        upsert.Parameters.AddWithValue(district.DecidedBy!);
        upsert.Parameters.AddWithValue(district.EnteredBy!);
        upsert.Parameters.AddWithValue(district.IssuedAt!.Value);
        upsert.Parameters.AddWithValue(district.Reason!);
        upsert.Parameters.AddWithValue((object?)district.RecommendationId ?? DBNull.Value);
        upsert.Parameters.AddWithValue((object?)district.DrillId ?? DBNull.Value);
        await upsert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every district with its level in the live picture (0 and no record when the town has issued none).</summary>
    public static async Task<IReadOnlyList<DistrictEvacuation>> ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT d.id, coalesce(l.level, 0)::int, l.issued_at, l.decided_by, l.entered_by, l.reason, l.recommendation_id, l.drill_id
            FROM districts d LEFT JOIN LATERAL ({LiveLevel}) l ON true
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
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7)));
        }

        return districts;
    }

    /// <summary>
    /// Every district's id and every level row in the live picture (the real one and the drill's in progress, beside each
    /// other): what the record of the situation starts from, so that ending a drill can return to the real level.
    /// </summary>
    public static async Task<(IReadOnlyList<string> DistrictIds, IReadOnlyList<DistrictEvacuation> Levels)> ReadRecordAsync(NpgsqlConnection connection,
        NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var ids = new List<string>();
        await using (var districts = new NpgsqlCommand("SELECT id FROM districts ORDER BY id", connection, transaction))
        await using (var reader = await districts.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        }

        await using var command = new NpgsqlCommand(
            $"""
            SELECT l.district_id, l.level::int, l.issued_at, l.decided_by, l.entered_by, l.reason, l.recommendation_id, l.drill_id
            FROM district_evacuation_levels l
            WHERE {DrillStore.InLivePicture("l")}
            ORDER BY l.district_id, l.drill_id NULLS FIRST
            """, connection, transaction);
        await using var rows = await command.ExecuteReaderAsync(ct);
        var levels = new List<DistrictEvacuation>();
        while (await rows.ReadAsync(ct))
        {
            levels.Add(new DistrictEvacuation(rows.GetString(0), rows.GetInt32(1),
                rows.IsDBNull(2) ? null : rows.GetFieldValue<DateTimeOffset>(2),
                rows.IsDBNull(3) ? null : rows.GetString(3),
                rows.IsDBNull(4) ? null : rows.GetString(4),
                rows.IsDBNull(5) ? null : rows.GetString(5),
                rows.IsDBNull(6) ? null : rows.GetInt64(6),
                rows.IsDBNull(7) ? null : rows.GetInt64(7)));
        }

        return (ids, levels);
    }
}
