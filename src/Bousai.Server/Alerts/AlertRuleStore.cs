using System.Text.Json;
using Bousai.Domain.Alerts;
using Bousai.Domain.Rain;
using Bousai.Domain.Rivers;
using Bousai.Server.Drills;
using Bousai.Server.Live;
using Bousai.Server.Store;
using Npgsql;

namespace Bousai.Server.Alerts;

/// <summary>
/// A station's threshold rule as HQ sees and tunes it: the rule's own settings (alert_rules) and where it stands now
/// (the step of its alert in force, none when there is none, and that alert).
/// </summary>
public sealed record AlertRule(
    string StationId,
    ThresholdRuleKind Kind,
    int DurationSeconds,
    int ClearAfterSeconds,
    double? ClearMargin,
    double? CriterionMm,
    DateTimeOffset UpdatedAt,
    string? UpdatedBy,
    ThresholdStep Raised,
    long? AlertId);

/// <summary>What an admin sets on a rule; ClearMargin is in the rule's unit (m, mm, soil water index), none for gauge silence.</summary>
public sealed record AlertRuleChange(int? DurationSeconds, int? ClearAfterSeconds, double? ClearMargin, double? CriterionMm);

/// <summary>
/// One rule family locked for evaluation: the rule as the domain evaluates it (null with the reason when the station's
/// data cannot make one, e.g. a river gauge without thresholds), its state, and the alert it owns: Live when the alert
/// is still in the live picture (not of an ended drill), Cleared when someone cleared it by hand.
/// </summary>
public sealed record RuleFamily(
    string StationId,
    ThresholdRuleKind Kind,
    ThresholdRule Rule,
    ThresholdRuleState State,
    long? AlertId,
    bool AlertLive,
    bool AlertCleared);

/// <summary>The SQL of threshold rules and their state: HQ's reads and edits, and the evaluator's lock and write of one family.</summary>
public static class AlertRuleStore
{
    private const string SelectFamily =
        """
        SELECT st.station_id, st.kind, r.duration_seconds, r.clear_after_seconds, r.clear_margin, r.criterion_mm, r.updated_at, r.updated_by,
               st.state, st.alert_id, s.name_ja, coalesce(s.name_en, s.name_ja), s.gauge_type, s.expected_interval_minutes,
               (SELECT jsonb_object_agg(t.stage, t.level_m) FROM station_thresholds t WHERE t.station_id = st.station_id),
               a.status, (a.id IS NOT NULL AND {0})
        FROM alert_rule_states st
        JOIN alert_rules r USING (station_id, kind)
        JOIN stations s ON s.id = st.station_id
        LEFT JOIN alerts a ON a.id = st.alert_id
        """;

    private sealed record Row(
        string StationId, ThresholdRuleKind Kind, int DurationSeconds, int ClearAfterSeconds, double? ClearMargin, double? CriterionMm,
        DateTimeOffset UpdatedAt, string? UpdatedBy, ThresholdRuleState State, long? AlertId, string NameJa, string NameEn, string GaugeType,
        int ExpectedIntervalMinutes, IReadOnlyDictionary<string, double> Thresholds, string? AlertStatus, bool AlertLive);

    /// <summary>A station's rules, in kind order; null when there is no such station.</summary>
    public static async Task<IReadOnlyList<AlertRule>?> ReadStationAsync(NpgsqlDataSource db, string stationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM stations WHERE id = $1)", connection))
        {
            exists.Parameters.AddWithValue(stationId);
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return null;
        }

        var rows = await ReadAsync(connection, null, "WHERE st.station_id = $1 ORDER BY st.kind", [stationId], ct);
        return [.. rows.Select(ToRule)];
    }

    /// <summary>
    /// The rule as it would be with <paramref name="change"/> applied, for validation before writing; null when the
    /// station has no rule of that kind.
    /// </summary>
    public static async Task<ThresholdRule?> WithChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string stationId,
        ThresholdRuleKind kind, AlertRuleChange change, CancellationToken ct)
    {
        var rows = await ReadAsync(connection, transaction, "WHERE st.station_id = $1 AND st.kind = $2 FOR UPDATE OF r",
            [stationId, DbEnum.Name(kind)], ct);
        if (rows.Count == 0) return null;
        return DomainRule(rows[0] with
        {
            DurationSeconds = change.DurationSeconds!.Value,
            ClearAfterSeconds = change.ClearAfterSeconds!.Value,
            ClearMargin = change.ClearMargin,
            CriterionMm = change.CriterionMm,
        });
    }

    /// <summary>Writes an admin's settings for the rule (locked by <see cref="WithChangeAsync"/>) and returns it as stored.</summary>
    public static async Task<AlertRule> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string stationId,
        ThresholdRuleKind kind, AlertRuleChange change, string by, DateTimeOffset at, CancellationToken ct)
    {
        await using (var update = new NpgsqlCommand(
            """
            UPDATE alert_rules SET duration_seconds = $3, clear_after_seconds = $4, clear_margin = $5, criterion_mm = $6, updated_at = $7, updated_by = $8
            WHERE station_id = $1 AND kind = $2
            """, connection, transaction))
        {
            update.Parameters.AddWithValue(stationId);
            update.Parameters.AddWithValue(DbEnum.Name(kind));
            update.Parameters.AddWithValue(change.DurationSeconds!.Value);
            update.Parameters.AddWithValue(change.ClearAfterSeconds!.Value);
            update.Parameters.AddWithValue((object?)change.ClearMargin ?? DBNull.Value);
            update.Parameters.AddWithValue((object?)change.CriterionMm ?? DBNull.Value);
            update.Parameters.AddWithValue(at);
            update.Parameters.AddWithValue(by);
            await update.ExecuteNonQueryAsync(ct);
        }

        var rows = await ReadAsync(connection, transaction, "WHERE st.station_id = $1 AND st.kind = $2", [stationId, DbEnum.Name(kind)], ct);
        return ToRule(rows[0]);
    }

    /// <summary>
    /// Locks one family's state row for this change (other instances evaluating it wait here) and reads it with its rule;
    /// null when the station has no such rule, or its data makes no rule that can be evaluated.
    /// </summary>
    public static async Task<RuleFamily?> LockAsync(SituationChange change, string stationId, ThresholdRuleKind kind, CancellationToken ct)
    {
        // The lock first, on its own: a statement that waited for the lock sees the other instance's new state row but
        // not, through its joins, the alert that instance just raised; the read after it, a new statement, sees both.
        await using (var lockRow = new NpgsqlCommand(
            "SELECT 1 FROM alert_rule_states WHERE station_id = $1 AND kind = $2 FOR UPDATE", change.Connection, change.Transaction))
        {
            lockRow.Parameters.AddWithValue(stationId);
            lockRow.Parameters.AddWithValue(DbEnum.Name(kind));
            if (await lockRow.ExecuteScalarAsync(ct) is null) return null;
        }

        var rows = await ReadAsync(change.Connection, change.Transaction, "WHERE st.station_id = $1 AND st.kind = $2",
            [stationId, DbEnum.Name(kind)], ct);
        if (rows.Count == 0) return null;
        var row = rows[0];
        var rule = DomainRule(row);
        return rule is null || rule.Problem is not null
            ? null
            : new RuleFamily(row.StationId, row.Kind, rule, row.State, row.AlertId, row.AlertLive, row.AlertStatus == "cleared");
    }

    /// <summary>Stores the family's new state and the alert it owns (none once cleared).</summary>
    public static async Task WriteStateAsync(SituationChange change, string stationId, ThresholdRuleKind kind, ThresholdRuleState state,
        long? alertId, DateTimeOffset at, CancellationToken ct)
    {
        await using var update = new NpgsqlCommand(
            "UPDATE alert_rule_states SET state = $3::jsonb, alert_id = $4, updated_at = $5 WHERE station_id = $1 AND kind = $2",
            change.Connection, change.Transaction);
        update.Parameters.AddWithValue(stationId);
        update.Parameters.AddWithValue(DbEnum.Name(kind));
        update.Parameters.AddWithValue(JsonSerializer.Serialize(state, BousaiJson.Options));
        update.Parameters.AddWithValue((object?)alertId ?? DBNull.Value);
        update.Parameters.AddWithValue(at);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The stations with a gauge silence rule: when each was last heard and whether it is a crisis gauge reading low.</summary>
    public static async Task<IReadOnlyList<(string StationId, StationHeardObservation Heard)>> HeardAsync(NpgsqlDataSource db, DateTimeOffset at,
        CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT r.station_id, max(ss.heard_at),
                   coalesce(bool_or(s.gauge_type = 'crisis' AND ss.quantity = 'water_level' AND coalesce(ss.derived->>'stage', 'normal') = 'normal'), false)
            FROM alert_rules r
            JOIN stations s ON s.id = r.station_id
            LEFT JOIN station_states ss ON ss.station_id = r.station_id
            WHERE r.kind = 'gauge_silence'
            GROUP BY r.station_id
            ORDER BY r.station_id
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var heard = new List<(string, StationHeardObservation)>();
        while (await reader.ReadAsync(ct))
        {
            heard.Add((reader.GetString(0), new StationHeardObservation(at,
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2))));
        }

        return heard;
    }

    private static AlertRule ToRule(Row row) => new(row.StationId, row.Kind, row.DurationSeconds, row.ClearAfterSeconds, row.ClearMargin,
        row.CriterionMm, row.UpdatedAt, row.UpdatedBy, row.AlertLive ? row.State.Raised : ThresholdStep.None, row.AlertLive ? row.AlertId : null);

    /// <summary>The domain's rule from the stored settings and the station's own data; null when the station's data makes none.</summary>
    private static ThresholdRule? DomainRule(Row row)
    {
        var duration = TimeSpan.FromSeconds(row.DurationSeconds);
        var clearAfter = TimeSpan.FromSeconds(row.ClearAfterSeconds);
        switch (row.Kind)
        {
            case ThresholdRuleKind.RiverStage:
                var levels = new Dictionary<WaterLevelThreshold, double>();
                foreach (var (key, metres) in row.Thresholds)
                {
                    if (WaterLevelThresholds.TryParseStage(key, out var stage)) levels[stage] = metres;
                }

                if (WaterLevelThresholds.Create(levels, row.GaugeType == "crisis").Thresholds is not { } thresholds) return null;
                return new RiverStageRule
                {
                    StationId = row.StationId, StationNameJa = row.NameJa, StationNameEn = row.NameEn, Duration = duration, ClearAfter = clearAfter,
                    Thresholds = thresholds, ClearMarginMetres = row.ClearMargin ?? double.NaN,
                };
            case ThresholdRuleKind.SixtyMinuteRain:
                return new SixtyMinuteRainRule
                {
                    StationId = row.StationId, StationNameJa = row.NameJa, StationNameEn = row.NameEn, Duration = duration, ClearAfter = clearAfter,
                    CriterionMm = row.CriterionMm ?? double.NaN, ClearMarginMm = row.ClearMargin ?? double.NaN,
                };
            case ThresholdRuleKind.LocalLandslide:
                return new LocalLandslideRule
                {
                    StationId = row.StationId, StationNameJa = row.NameJa, StationNameEn = row.NameEn, Duration = duration, ClearAfter = clearAfter,
                    Criteria = LandslideCriteria.Takahata, ClearMarginSoilWaterIndex = row.ClearMargin ?? double.NaN,
                };
            case ThresholdRuleKind.GaugeSilence:
                return new GaugeSilenceRule
                {
                    StationId = row.StationId, StationNameJa = row.NameJa, StationNameEn = row.NameEn, Duration = duration, ClearAfter = clearAfter,
                    ExpectedInterval = TimeSpan.FromMinutes(row.ExpectedIntervalMinutes),
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row.Kind, null);
        }
    }

    private static async Task<IReadOnlyList<Row>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where,
        object[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(string.Format(SelectFamily, DrillStore.InLivePicture("a")) + "\n" + where, connection, transaction);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Row>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(reader.GetString(0), DbEnum.Parse<ThresholdRuleKind>(reader.GetString(1)), reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                JsonSerializer.Deserialize<ThresholdRuleState>(reader.GetString(8), BousaiJson.Options)!,
                reader.IsDBNull(9) ? null : reader.GetInt64(9), reader.GetString(10), reader.GetString(11), reader.GetString(12), reader.GetInt32(13),
                reader.IsDBNull(14) ? new Dictionary<string, double>() : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(14))!,
                reader.IsDBNull(15) ? null : reader.GetString(15), reader.GetBoolean(16)));
        }

        return rows;
    }
}
