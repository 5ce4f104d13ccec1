using Bousai.Domain.EvacuationLevels;
using Bousai.Domain.Rivers;
using Bousai.Server.Drills;
using Bousai.Server.Store;
using Npgsql;

namespace Bousai.Server.Evacuation;

/// <summary>
/// The SQL of the system's recommendations: what the recommender reads (each district's exposure by PostGIS, the gauges'
/// stages, the official warnings in force), the recommendations themselves, and their answers.
/// </summary>
public static class EvacuationRecommendationStore
{
    private const string Columns =
        "r.id, r.district_id, r.level, r.basis, r.reason_ja, r.reason_en, r.made_at, r.status, r.answered_by, r.answered_at, r.answer_reason, r.drill_id";

    /// <summary>The open recommendations in the live picture, oldest first (the snapshot's).</summary>
    public static Task<IReadOnlyList<EvacuationRecommendation>> ReadOpenAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        CancellationToken ct) =>
        ReadAsync(connection, transaction, $"WHERE r.status = 'open' AND {DrillStore.InLivePicture("r")} ORDER BY r.made_at, r.id", [], ct);

    /// <summary>The latest recommendations in the live picture, answered ones too, newest first.</summary>
    public static Task<IReadOnlyList<EvacuationRecommendation>> ReadLatestAsync(NpgsqlConnection connection, int limit, CancellationToken ct) =>
        ReadAsync(connection, null, $"WHERE {DrillStore.InLivePicture("r")} ORDER BY r.made_at DESC, r.id DESC LIMIT $1", [limit], ct);

    /// <summary>Locks one recommendation in the live picture for an answer; null when there is none with that id.</summary>
    public static async Task<EvacuationRecommendation?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id,
        CancellationToken ct) =>
        (await ReadAsync(connection, transaction, $"WHERE r.id = $1 AND {DrillStore.InLivePicture("r")} FOR UPDATE OF r", [id], ct))
        .SingleOrDefault();

    public static async Task<EvacuationRecommendation> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        RecommendedLevel recommended, DateTimeOffset madeAt, long? drillId, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO evacuation_recommendations (district_id, level, basis, reason_ja, reason_en, made_at, drill_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, connection, transaction);
        insert.Parameters.AddWithValue(recommended.DistrictId);
        insert.Parameters.AddWithValue((short)recommended.Level);
        insert.Parameters.AddWithValue(recommended.Basis);
        insert.Parameters.AddWithValue(recommended.ReasonJa);
        insert.Parameters.AddWithValue(recommended.ReasonEn);
        insert.Parameters.AddWithValue(madeAt);
        insert.Parameters.AddWithValue((object?)drillId ?? DBNull.Value);
        var id = (long)(await insert.ExecuteScalarAsync(ct))!;
        var (ja, en) = EvacuationRecommendation.LevelNames(recommended.Level, madeAt);
        return new EvacuationRecommendation(id, recommended.DistrictId, recommended.Level, ja, en, recommended.Basis, recommended.ReasonJa,
            recommended.ReasonEn, madeAt, RecommendationStatus.Open, DrillId: drillId);
    }

    /// <summary>
    /// Records the answer (issued, dismissed, superseded); basisEnded also notes that its basis went away. Null when the
    /// recommendation is no longer open (a person answered it while the system was superseding it: the person's answer stands).
    /// </summary>
    public static async Task<EvacuationRecommendation?> AnswerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        EvacuationRecommendation open, RecommendationStatus status, string by, DateTimeOffset at, string? reason, bool basisEnded, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            """
            UPDATE evacuation_recommendations SET status = $2, answered_by = $3, answered_at = $4, answer_reason = $5,
                basis_ended_at = CASE WHEN $6 THEN $4 ELSE basis_ended_at END
            WHERE id = $1 AND status = 'open'
            """, connection, transaction);
        update.Parameters.AddWithValue(open.RecommendationId);
        update.Parameters.AddWithValue(DbEnum.Name(status));
        update.Parameters.AddWithValue(by);
        update.Parameters.AddWithValue(at);
        update.Parameters.AddWithValue((object?)reason ?? DBNull.Value);
        update.Parameters.AddWithValue(basisEnded);
        return await update.ExecuteNonQueryAsync(ct) == 1
            ? open with { Status = status, AnsweredBy = by, AnsweredAt = at, AnswerReason = reason }
            : null;
    }

    /// <summary>
    /// The dismissed recommendations of the live picture whose basis still holds (as far as the recommender knows): the
    /// system does not ask again while it holds.
    /// </summary>
    public static Task<IReadOnlyList<EvacuationRecommendation>> ReadDismissedWithBasisAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct) =>
        ReadAsync(connection, transaction,
            $"WHERE r.status = 'dismissed' AND r.basis_ended_at IS NULL AND {DrillStore.InLivePicture("r")}", [], ct);

    public static async Task MarkBasisEndedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<long> ids,
        DateTimeOffset at, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await using var update = new NpgsqlCommand(
            "UPDATE evacuation_recommendations SET basis_ended_at = $2 WHERE id = ANY($1)", connection, transaction);
        update.Parameters.AddWithValue(ids.ToArray());
        update.Parameters.AddWithValue(at);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Each district: the rivers whose flood zones touch it, whether landslide zones do, and its level in the live picture.</summary>
    public static async Task<IReadOnlyList<DistrictExposure>> ReadExposuresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT d.id,
                   coalesce((SELECT array_agg(DISTINCT z.properties->>'river') FROM hazard_zones z
                             WHERE z.hazard = 'flood' AND z.properties->>'river' IS NOT NULL AND ST_Intersects(z.geom, d.geom)), ARRAY[]::text[]),
                   EXISTS (SELECT 1 FROM hazard_zones z WHERE z.hazard = 'landslide' AND ST_Intersects(z.geom, d.geom)),
                   coalesce((SELECT l.level FROM district_evacuation_levels l WHERE l.district_id = d.id AND {DrillStore.InLivePicture("l")}
                             ORDER BY l.drill_id IS NULL LIMIT 1), 0)::int
            FROM districts d ORDER BY d.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var districts = new List<DistrictExposure>();
        while (await reader.ReadAsync(ct))
        {
            districts.Add(new DistrictExposure(reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetBoolean(2), reader.GetInt32(3)));
        }

        return districts;
    }

    /// <summary>The current stage of every river gauge on a named river.</summary>
    public static async Task<IReadOnlyList<RiverGaugeStage>> ReadGaugeStagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT s.id, s.name_ja, s.name_en, s.river_ja, s.gauge_type = 'crisis', st.derived->>'stage', r.name_en
            FROM station_states st JOIN stations s ON s.id = st.station_id
            LEFT JOIN LATERAL (SELECT name_en FROM rivers WHERE name_ja = s.river_ja ORDER BY id LIMIT 1) r ON true
            WHERE st.quantity = 'water_level' AND s.river_ja IS NOT NULL AND st.derived->>'stage' IS NOT NULL
            ORDER BY s.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var gauges = new List<RiverGaugeStage>();
        while (await reader.ReadAsync(ct))
        {
            if (!DbEnum.TryParse<WaterLevelStage>(reader.GetString(5), out var stage)) continue;
            gauges.Add(new RiverGaugeStage(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetBoolean(4), stage, reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return gauges;
    }

    /// <summary>The official warnings in force in the live picture (the official warnings feature's table).</summary>
    public static async Task<IReadOnlyList<OfficialWarningInForce>> ReadOfficialWarningsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT w.warning_key, w.kind, w.name, w.name_en, w.condition, w.level_equivalent::int, coalesce(w.rivers, ARRAY[]::text[])
            FROM official_warnings w
            WHERE w.status = 'in_force' AND {DrillStore.InLivePicture("w")}
            ORDER BY w.id
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var warnings = new List<OfficialWarningInForce>();
        while (await reader.ReadAsync(ct))
        {
            warnings.Add(new OfficialWarningInForce(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetFieldValue<string[]>(6)));
        }

        return warnings;
    }

    private static async Task<IReadOnlyList<EvacuationRecommendation>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string where, object[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM evacuation_recommendations r {where}", connection, transaction);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var recommendations = new List<EvacuationRecommendation>();
        while (await reader.ReadAsync(ct))
        {
            var level = (int)reader.GetInt16(2);
            var madeAt = reader.GetFieldValue<DateTimeOffset>(6);
            var (ja, en) = EvacuationRecommendation.LevelNames(level, madeAt);
            recommendations.Add(new EvacuationRecommendation(reader.GetInt64(0), reader.GetString(1), level, ja, en, reader.GetString(3),
                reader.GetString(4), reader.GetString(5), madeAt, DbEnum.Parse<RecommendationStatus>(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetInt64(11)));
        }

        return recommendations;
    }
}
