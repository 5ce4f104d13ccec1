using System.Security.Claims;
using System.Text.Json;
using Bousai.Domain.Rivers;
using Bousai.Server.Accounts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Bousai.Server.Sensors;

/// <summary>A gauge as HQ sees it: what it is, its thresholds, its state, and what it sent that was refused.</summary>
public sealed record StationOverview(
    string StationId,
    string NameJa,
    string? NameEn,
    string Kind,
    string GaugeType,
    int ExpectedIntervalMinutes,
    IReadOnlyDictionary<string, double> Thresholds,
    StationState? State,
    int DeadLetters24h,
    DateTimeOffset? LastDeadLetterAt);

/// <summary>A gauge's readings for a chart: water levels (highest per bucket) or rain (sum per bucket), with its thresholds.</summary>
public sealed record StationSeries(string StationId, string Quantity, TimeSpan Bucket, IReadOnlyDictionary<string, double> Thresholds,
    IReadOnlyList<SeriesPoint> Points);

public sealed record SeriesPoint(DateTimeOffset At, double Value);

public sealed record DeadLetter(long Id, DateTimeOffset ReceivedAt, string Topic, string? StationId, string Reason, string? Detail,
    string Payload, int PayloadBytes);

/// <summary>An admin adds a gauge. Thresholds (metres) by stage key: standby, caution, evacuation, danger; or observation_start, danger.</summary>
public sealed record NewStation(string? StationId, string? NameJa, string? NameEn, string? Kind, string? GaugeType, string? RiverJa,
    int? ExpectedIntervalMinutes, double? Longitude, double? Latitude, Dictionary<string, double>? Thresholds);

public static class StationEndpoints
{
    private const int MaxChartHours = 72;

    public static IEndpointRouteBuilder MapStationApi(this IEndpointRouteBuilder routes)
    {
        var stations = routes.MapGroup("/api/stations").WithTags("Stations");
        stations.MapGet("/", ListAsync).RequireAuthorization(AccountEndpoints.StaffPolicy)
            .WithSummary("Every gauge with its thresholds, state (last reading and its age) and dead letters of the last 24 h");
        stations.MapGet("/{stationId}/readings", SeriesAsync).AllowAnonymous()
            .WithSummary("A gauge's readings for a chart (public: gauge data is public information)");
        routes.MapGet("/api/dead-letters", DeadLettersAsync).RequireAuthorization(AccountEndpoints.StaffPolicy).WithTags("Stations")
            .WithSummary("Refused gauge messages, newest first, with the reason and the first 2 KB of the payload");

        var admin = routes.MapGroup("/api/admin/stations").WithTags("Stations").RequireAuthorization(AccountEndpoints.AdminPolicy);
        admin.MapPost("/", AddAsync).WithSummary("Add a gauge (admin; audited). Ingestion accepts its readings at once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{stationId}/thresholds", SetThresholdsAsync)
            .WithSummary("Replace a gauge's thresholds (admin; audited). The next reading is judged by them.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<StationOverview>>> ListAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT s.id, s.name_ja, s.name_en, s.kind, s.gauge_type, s.expected_interval_minutes,
                   coalesce((SELECT jsonb_object_agg(t.stage, t.level_m) FROM station_thresholds t WHERE t.station_id = s.id), '{}')::text,
                   (SELECT st.derived::text FROM station_states st WHERE st.station_id = s.id AND st.derived IS NOT NULL),
                   (SELECT count(*) FROM dead_letters d WHERE d.station_id = s.id AND d.received_at > now() - interval '24 hours')::int,
                   (SELECT max(d.received_at) FROM dead_letters d WHERE d.station_id = s.id)
            FROM stations s ORDER BY s.kind DESC, s.id
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<StationOverview>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new StationOverview(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(6))!,
                reader.IsDBNull(7) ? null : JsonSerializer.Deserialize<StationState>(reader.GetString(7), BousaiJson.Options),
                reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return TypedResults.Ok<IReadOnlyList<StationOverview>>(list);
    }

    /// <summary>
    /// The last <paramref name="hours"/> (default 24) before the gauge's latest reading (at or before <paramref name="until"/>,
    /// for a moment in the past), at most 1,000 points: PostGIS bins denser data.
    /// </summary>
    private static async Task<Results<Ok<StationSeries>, ProblemHttpResult>> SeriesAsync(string stationId, int? hours, DateTimeOffset? until,
        NpgsqlDataSource db, CancellationToken ct)
    {
        var window = TimeSpan.FromHours(Math.Clamp(hours ?? 24, 1, MaxChartHours));
        var bucket = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, window.Ticks / 1000));
        await using var connection = await db.OpenConnectionAsync(ct);
        string quantity;
        Dictionary<string, double> thresholds;
        await using (var station = new NpgsqlCommand(
            """
            SELECT CASE s.kind WHEN 'rain' THEN 'rainfall' ELSE 'water_level' END,
                   coalesce((SELECT jsonb_object_agg(t.stage, t.level_m) FROM station_thresholds t WHERE t.station_id = s.id), '{}')::text
            FROM stations s WHERE s.id = $1
            """, connection))
        {
            station.Parameters.AddWithValue(stationId);
            await using var reader = await station.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return Problems.NotFound("No such station", $"There is no station '{stationId}'.");
            quantity = reader.GetString(0);
            thresholds = JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(1))!;
        }

        await using var series = new NpgsqlCommand(
            $"""
             WITH latest AS (SELECT max(observed_at) AS at FROM readings WHERE station_id = $1 AND quantity = $2 AND ($5::timestamptz IS NULL OR observed_at <= $5))
             SELECT date_bin($3, r.observed_at, TIMESTAMPTZ '2000-01-01') + $3 AS bucket_end, {(quantity == "rainfall" ? "sum" : "max")}(r.value)
             FROM readings r, latest
             WHERE r.station_id = $1 AND r.quantity = $2 AND r.observed_at > latest.at - $4 AND r.observed_at <= latest.at
             GROUP BY 1 ORDER BY 1
             """, connection);
        series.Parameters.AddWithValue(stationId);
        series.Parameters.AddWithValue(quantity);
        series.Parameters.AddWithValue(bucket);
        series.Parameters.AddWithValue(window);
        series.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)until?.ToUniversalTime() ?? DBNull.Value);
        var points = new List<SeriesPoint>();
        await using (var reader = await series.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) points.Add(new SeriesPoint(reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1)));
        }

        return TypedResults.Ok(new StationSeries(stationId, quantity, bucket, thresholds, points));
    }

    private static async Task<Ok<IReadOnlyList<DeadLetter>>> DeadLettersAsync(string? stationId, int? limit, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT id, received_at, topic, station_id, reason, detail, payload, payload_bytes FROM dead_letters
            WHERE $1::text IS NULL OR station_id = $1 ORDER BY id DESC LIMIT $2
            """);
        command.Parameters.AddWithValue((object?)stationId ?? DBNull.Value);
        command.Parameters.AddWithValue(Math.Clamp(limit ?? 100, 1, 1000));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var letters = new List<DeadLetter>();
        while (await reader.ReadAsync(ct))
        {
            letters.Add(new DeadLetter(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6), reader.GetInt32(7)));
        }

        return TypedResults.Ok<IReadOnlyList<DeadLetter>>(letters);
    }

    private static async Task<Results<Created<StationOverview>, ValidationProblem, ProblemHttpResult>> AddAsync(
        NewStation station, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (station.StationId is null || !System.Text.RegularExpressions.Regex.IsMatch(station.StationId, "^[a-z0-9][a-z0-9._-]{1,99}$"))
            errors["stationId"] = ["A lower-case id of letters, digits, '.', '_' or '-' (it is part of the MQTT topic)."];
        if (string.IsNullOrWhiteSpace(station.NameJa) || station.NameJa.Trim().Length > TextInput.MaxNameLength)
            errors["nameJa"] = [$"The Japanese name is required, up to {TextInput.MaxNameLength} characters."];
        if (station.NameEn?.Trim().Length > TextInput.MaxNameLength) errors["nameEn"] = [$"The English name is up to {TextInput.MaxNameLength} characters."];
        if (station.RiverJa?.Trim().Length > TextInput.MaxNameLength) errors["riverJa"] = [$"The river's name is up to {TextInput.MaxNameLength} characters."];
        if (station.Kind is not ("water_level" or "rain")) errors["kind"] = ["Kind is water_level or rain."];
        var gaugeType = station.GaugeType ?? (station.Kind == "rain" ? "amedas" : "standard");
        if (gaugeType is not ("standard" or "crisis" or "amedas")) errors["gaugeType"] = ["Gauge type is standard, crisis or amedas."];
        if (station.ExpectedIntervalMinutes is not (null or (>= 1 and <= 1440))) errors["expectedIntervalMinutes"] = ["1 to 1440 minutes."];
        if (station.Longitude is not (>= -180 and <= 180) || station.Latitude is not (>= -90 and <= 90)) errors["location"] = ["Longitude and latitude are required."];
        var thresholds = ParseThresholds(station.Thresholds ?? [], gaugeType == "crisis", station.Kind == "rain", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var definition = new StationDefinition(station.StationId!, station.NameJa!.Trim(), station.NameEn?.Trim(), station.Kind!, gaugeType,
            station.RiverJa, station.ExpectedIntervalMinutes ?? 10, station.Longitude!.Value, station.Latitude!.Value, thresholds);
        await using var change = await SituationChange.BeginAsync(db, ct);
        if (!await StationStore.AddAsync(change, definition, ct))
        {
            return Problems.Conflict("The station exists", $"There is already a station '{station.StationId}'.");
        }

        var by = user.Identity!.Name!;
        change.Record(new StationAdded(definition, by) { At = time.GetUtcNow() });
        change.Audit(new AuditEntry(by, "station.add", "station", station.StationId,
            new Dictionary<string, object?> { ["kind"] = station.Kind, ["gaugeType"] = gaugeType, ["thresholds"] = thresholds }));
        await change.CommitAsync(ct);
        return TypedResults.Created($"/api/stations/{station.StationId}/readings",
            new StationOverview(definition.StationId, definition.NameJa, definition.NameEn, definition.Kind, gaugeType,
                definition.ExpectedIntervalMinutes, thresholds, null, 0, null));
    }

    private static async Task<Results<Ok<IReadOnlyDictionary<string, double>>, ValidationProblem, ProblemHttpResult>> SetThresholdsAsync(
        string stationId, Dictionary<string, double> levels, ClaimsPrincipal user, NpgsqlDataSource db, TimeProvider time, CancellationToken ct)
    {
        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await StationStore.LockAsync(change, stationId, ct) is not { } found)
        {
            return Problems.NotFound("No such station", $"There is no station '{stationId}'.");
        }

        var (kind, gaugeType, before) = found;

        var errors = new Dictionary<string, string[]>();
        var thresholds = ParseThresholds(levels, gaugeType == "crisis", kind == "rain", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        await StationStore.SetThresholdsAsync(change, stationId, thresholds, ct);
        var by = user.Identity!.Name!;
        change.Record(new StationThresholdsChanged(stationId, thresholds, before, by) { At = time.GetUtcNow() });
        change.Audit(new AuditEntry(by, "station.thresholds", "station", stationId,
            new Dictionary<string, object?> { ["before"] = before, ["after"] = thresholds }));
        await change.CommitAsync(ct);
        return TypedResults.Ok<IReadOnlyDictionary<string, double>>(thresholds);
    }

    private static Dictionary<string, double> ParseThresholds(Dictionary<string, double> levels, bool crisis, bool rain, Dictionary<string, string[]> errors)
    {
        if (rain)
        {
            if (levels.Count > 0) errors["thresholds"] = ["Rain gauges have no water-level thresholds."];
            return [];
        }

        var parsed = new Dictionary<WaterLevelThreshold, double>();
        foreach (var (key, value) in levels)
        {
            if (WaterLevelThresholds.TryParseStage(key, out var stage)) parsed[stage] = value;
            else errors["thresholds"] = [$"Unknown threshold '{key}' (use {string.Join(", ", WaterLevelThresholds.StageKeys)})."];
        }

        if (errors.Count > 0) return [];
        var result = WaterLevelThresholds.Create(parsed, crisis);
        if (result.Error is not null) errors["thresholds"] = [result.Error];
        return parsed.ToDictionary(p => WaterLevelThresholds.KeyOf(p.Key), p => p.Value);
    }
}
