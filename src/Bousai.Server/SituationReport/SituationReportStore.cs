using Bousai.Domain.Rivers;
using Bousai.Server.Alerts;
using Bousai.Server.Drills;
using Bousai.Server.Evacuation;
using Bousai.Server.Live;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.Shelters;
using Npgsql;

namespace Bousai.Server.SituationReport;

/// <summary>A gauge's row in the report: its reading at the moment and its highest in the 24 hours before (rain: totals).</summary>
public sealed record GaugeRow(
    string StationId,
    string NameJa,
    string Kind,
    string? River,
    double? Value,
    DateTimeOffset? ObservedAt,
    WaterLevelStage? Stage,
    double? PeakValue,
    DateTimeOffset? PeakAt,
    WaterLevelStage? PeakStage,
    double? RainSixtyMinutes,
    double? RainDay);

/// <summary>One decision of the timeline: when, what kind, and what was decided, in words.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string What, string Detail);

/// <summary>
/// The SQL of the situation report beyond the snapshot: the gauges' readings up to the moment (readings are kept whole, so
/// any moment has them) and the decisions of the 24 hours before it from the situation event log.
/// </summary>
public static class SituationReportStore
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>The kinds of event that are decisions or what decisions answer (levels, shelters, alerts, warnings, drills).</summary>
    private static readonly string[] TimelineKinds =
    [
        "district_evacuation_level_changed", "shelter_status_changed", "alert_raised", "alert_escalated", "alert_cleared",
        "official_warning_changed", "drill_started", "drill_ended",
    ];

    /// <summary>
    /// Every gauge with its latest reading at or before <paramref name="moment"/> and, for water levels, the highest reading
    /// of the 24 hours up to it (the first time it reached that height); for rain, the 60-minute and 24-hour totals. Stages
    /// are judged by the gauge's thresholds as they stand now.
    /// </summary>
    public static async Task<IReadOnlyList<GaugeRow>> GaugesAsync(NpgsqlDataSource db, DateTimeOffset moment, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT s.id, s.name_ja, s.kind, s.river_ja, s.gauge_type,
                   latest.value, latest.observed_at, peak.value, peak.observed_at,
                   (SELECT sum(value) FROM readings r WHERE r.station_id = s.id AND r.quantity = 'rainfall'
                        AND r.observed_at > $1 - interval '60 minutes' AND r.observed_at <= $1),
                   (SELECT sum(value) FROM readings r WHERE r.station_id = s.id AND r.quantity = 'rainfall'
                        AND r.observed_at > $1 - interval '24 hours' AND r.observed_at <= $1),
                   coalesce((SELECT jsonb_object_agg(t.stage, t.level_m) FROM station_thresholds t WHERE t.station_id = s.id), '{}')::text
            FROM stations s
            LEFT JOIN LATERAL (
                SELECT value, observed_at FROM readings r
                WHERE r.station_id = s.id AND r.quantity = CASE s.kind WHEN 'rain' THEN 'rainfall' ELSE 'water_level' END AND r.observed_at <= $1
                ORDER BY observed_at DESC LIMIT 1) latest ON true
            LEFT JOIN LATERAL (
                SELECT value, observed_at FROM readings r
                WHERE r.station_id = s.id AND r.quantity = 'water_level' AND r.observed_at > $1 - interval '24 hours' AND r.observed_at <= $1
                ORDER BY value DESC, observed_at LIMIT 1) peak ON s.kind = 'water_level'
            ORDER BY s.kind DESC, s.id
            """);
        command.Parameters.AddWithValue(moment);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<GaugeRow>();
        while (await reader.ReadAsync(ct))
        {
            var kind = reader.GetString(2);
            var thresholds = Thresholds(reader.GetString(11), reader.GetString(4) == "crisis");
            double? value = reader.IsDBNull(5) ? null : reader.GetDouble(5);
            double? peak = reader.IsDBNull(7) ? null : reader.GetDouble(7);
            WaterLevelStage? StageOf(double? metres) => kind == "water_level" && metres is { } m && thresholds is not null ? thresholds.StageOf(m) : null;
            rows.Add(new GaugeRow(reader.GetString(0), reader.GetString(1), kind, reader.IsDBNull(3) ? null : reader.GetString(3),
                value, reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), StageOf(value),
                peak, reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), StageOf(peak),
                kind == "rain" ? (reader.IsDBNull(9) ? 0 : reader.GetDouble(9)) : null,
                kind == "rain" ? (reader.IsDBNull(10) ? 0 : reader.GetDouble(10)) : null));
        }

        return rows;
    }

    private static WaterLevelThresholds? Thresholds(string json, bool crisis)
    {
        var levels = new Dictionary<WaterLevelThreshold, double>();
        foreach (var (key, metres) in System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [])
        {
            if (WaterLevelThresholds.TryParseStage(key, out var stage)) levels[stage] = metres;
        }

        return levels.Count == 0 ? null : WaterLevelThresholds.Create(levels, crisis).Thresholds;
    }

    /// <summary>
    /// The decisions logged in the 24 hours up to <paramref name="moment"/>, oldest first: district levels, shelters opened
    /// and closed (a head count alone is not a decision), alerts raised, escalated and cleared, official warnings, drills.
    /// </summary>
    public static async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(NpgsqlDataSource db, DateTimeOffset moment,
        Func<string, string> districtName, Func<string, string> shelterName, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // Whether each shelter was open when the window begins: its last status before it.
        var open = new Dictionary<string, bool>();
        await using (var before = new NpgsqlCommand(
            """
            SELECT DISTINCT ON (payload->'shelter'->>'shelterId') payload->'shelter'->>'shelterId', (payload->'shelter'->>'open')::boolean
            FROM situation_events WHERE kind = 'shelter_status_changed' AND occurred_at <= $1
            ORDER BY payload->'shelter'->>'shelterId', seq DESC
            """, connection))
        {
            before.Parameters.AddWithValue(moment - Window);
            await using var reader = await before.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (!reader.IsDBNull(0) && !reader.IsDBNull(1)) open[reader.GetString(0)] = reader.GetBoolean(1);
            }
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT seq, occurred_at, payload::text, payload_version FROM situation_events
            WHERE occurred_at > $1 AND occurred_at <= $2 AND kind = ANY($3) ORDER BY seq
            """, connection);
        command.Parameters.AddWithValue(moment - Window);
        command.Parameters.AddWithValue(moment);
        command.Parameters.AddWithValue(TimelineKinds);
        var entries = new List<TimelineEntry>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var at = reader.GetFieldValue<DateTimeOffset>(1);
                var change = SituationEventLog.ReadPayload(reader.GetString(2), reader.GetInt16(3), reader.GetInt64(0));
                if (Entry(change, at, open, districtName, shelterName) is { } entry) entries.Add(entry);
            }
        }

        return entries;
    }

    private static TimelineEntry? Entry(SituationEvent change, DateTimeOffset at, Dictionary<string, bool> open,
        Func<string, string> districtName, Func<string, string> shelterName) => change switch
    {
        DistrictEvacuationLevelChanged c => new TimelineEntry(at, "警戒レベル",
            $"{districtName(c.District.DistrictId)}：{SituationWords.Level(c.PreviousLevel)} → {SituationWords.Level(c.District.Level)}"
            + (c.District.DecidedBy is { Length: > 0 } by ? $"（決定 {by}）" : "")
            + (c.District.Reason is { Length: > 0 } reason ? $" 理由：{reason}" : "")),
        ShelterStatusChanged c => ShelterEntry(c.Shelter, at, open, shelterName),
        AlertRaised c => new TimelineEntry(at, "警報（システム）", Alert(c.Alert, "発報", districtName)),
        AlertEscalated c => new TimelineEntry(at, "警報（システム）", Alert(c.Alert, "段階上昇", districtName)),
        AlertCleared c => new TimelineEntry(at, "警報（システム）", $"解除 #{c.AlertId}（{c.ClearedBy}）" + (c.Note is { Length: > 0 } note ? $" {note}" : "")),
        OfficialWarningChanged c => new TimelineEntry(at, "気象警報等", $"{c.Warning.Name}：{WarningStatus(c.Warning.Status)}"
            + (c.Warning.LevelEquivalent is > 0 ? $"（警戒レベル{c.Warning.LevelEquivalent}相当）" : "")),
        DrillStarted c => new TimelineEntry(at, "訓練", $"開始：{c.Drill.Name}" + (c.Drill.StartedBy is { Length: > 0 } by ? $"（{by}）" : "")),
        DrillEnded c => new TimelineEntry(at, "訓練", $"終了：{c.Drill.Name}" + (c.Drill.EndedBy is { Length: > 0 } by ? $"（{by}）" : "")),
        _ => null,
    };

    private static TimelineEntry? ShelterEntry(ShelterState shelter, DateTimeOffset at, Dictionary<string, bool> open, Func<string, string> shelterName)
    {
        var wasOpen = open.GetValueOrDefault(shelter.ShelterId);
        open[shelter.ShelterId] = shelter.Open;
        if (wasOpen == shelter.Open) return null;
        return new TimelineEntry(at, "避難所", $"{shelterName(shelter.ShelterId)}：{(shelter.Open ? "開設" : "閉鎖")}"
            + (shelter.UpdatedBy is { Length: > 0 } by ? $"（{by}）" : ""));
    }

    private static string Alert(AlertState alert, string what, Func<string, string> districtName) =>
        $"{what} #{alert.AlertId}" + (alert.Level is { } level ? $" レベル{level}" : "")
        + (alert.DistrictId is { } district ? $" {districtName(district)}" : "") + $"：{alert.Message}";

    public static string WarningStatus(OfficialWarningStatus status) => status switch
    {
        OfficialWarningStatus.InForce => "発表",
        OfficialWarningStatus.Ended => "解除",
        _ => "取消",
    };
}
