using System.Text.Json;
using Bousai.Domain.Rain;
using Bousai.Domain.Rivers;
using Bousai.Domain.Sensors;
using Bousai.Server.Live;
using Bousai.Server.Shelters;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Server.Sensors;

/// <summary>
/// Recomputes the derived state of gauges whose readings changed (station_states.dirty, set by ingestion in its
/// commit) and logs a situation event for each, at most about once a second per gauge. Runs soon after each local
/// commit and every second for commits made by other instances; one instance at a time (an advisory lock). It locks no
/// gauge while computing: it clears dirty only where the version it read is still current, so ingestion never waits
/// for it. Thresholds are read on every pass, so an admin's change applies at once without a restart. After each pass
/// the active hazards are compared with the announced ones (<see cref="HazardMonitor"/>).
/// </summary>
public sealed class StationStateRefresher(NpgsqlDataSource db, ReadingStore store, HazardMonitor hazards, TimeProvider time,
    ILogger<StationStateRefresher> logger)
    : BackgroundService
{
    private const int StationsPerPass = 500;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RainHistory = TimeSpan.FromDays(7);
    private static readonly TimeSpan PerStationInterval = TimeSpan.FromSeconds(1);
    private const long PassLock = 0x626f757361690001; // "bousai" + 1: one refresher pass at a time across instances
    private readonly SemaphoreSlim _changed = new(0, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SupervisedLoop.RunAsync("station_states", RefreshUntilStoppedAsync, logger, time, stoppingToken);

    private async Task RefreshUntilStoppedAsync(CancellationToken stoppingToken)
    {
        store.StationsChanged += Signal;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                if (stoppingToken.IsCancellationRequested) return;
                try
                {
                    while (await RefreshAsync(stoppingToken) == StationsPerPass) { }
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning(ex, "Could not refresh gauge states; trying again shortly");
                }

                await Task.Delay(MinimumInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            store.StationsChanged -= Signal;
        }
    }

    private void Signal()
    {
        if (_changed.CurrentCount == 0)
        {
            try { _changed.Release(); } catch (SemaphoreFullException) { }
        }
    }

    private sealed record Dirty(string StationId, string Quantity, double Value, DateTimeOffset ObservedAt, DateTimeOffset HeardAt,
        string GaugeType, int ExpectedIntervalMinutes, long Version);

    /// <summary>One pass over up to 500 dirty gauges in one transaction; returns how many it refreshed.</summary>
    public async Task<int> RefreshAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var passLock = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction))
        {
            passLock.Parameters.AddWithValue(PassLock);
            if (!(bool)(await passLock.ExecuteScalarAsync(ct))!) return 0;
        }

        var now = time.GetUtcNow();
        var dirty = new List<Dirty>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT st.station_id, st.quantity, st.value, st.observed_at, st.heard_at, s.gauge_type, s.expected_interval_minutes, st.version
            FROM station_states st JOIN stations s ON s.id = st.station_id
            WHERE st.dirty AND (st.refreshed_at IS NULL OR st.refreshed_at <= $2)
            ORDER BY st.station_id, st.quantity
            LIMIT $1
            """, connection, transaction))
        {
            select.Parameters.AddWithValue(StationsPerPass);
            select.Parameters.AddWithValue(now - PerStationInterval);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                dirty.Add(new Dirty(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetInt32(6), reader.GetInt64(7)));
            }
        }

        if (dirty.Count == 0) return 0;
        var rivers = dirty.Where(d => d.Quantity == "water_level").ToList();
        var gauges = dirty.Where(d => d.Quantity == "rainfall").ToList();
        var thresholds = await ThresholdsAsync(connection, transaction, rivers, ct);
        var earlier = await LevelsHalfAnHourEarlierAsync(connection, transaction, rivers, ct);
        var rain = await RainAsync(connection, transaction, gauges, ct);

        var states = dirty.Select(d => d.Quantity == "water_level"
            ? RiverState(d, thresholds.GetValueOrDefault(d.StationId), earlier.GetValueOrDefault(d.StationId))
            : RainState(d, rain.GetValueOrDefault(d.StationId) ?? [])).ToList();
        // Locked in (station_id, quantity) order first, the order ingestion locks them in, so the two cannot deadlock
        // (40P01): an UPDATE ... FROM unnest takes its rows in whatever order the join produces, and for a few dirty
        // gauges PostgreSQL hashes the array and scans the table, meeting rows in the order updates left them on disk
        // (StationStateLockOrderTests reproduces the bench's deadlock that way). The situation counter is locked after
        // the rows, in both.
        await using (var update = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    SELECT count(*) FROM (
                        SELECT 1 FROM station_states st
                        JOIN unnest($1::text[], $2::text[]) AS u (station_id, quantity) USING (station_id, quantity)
                        ORDER BY st.station_id, st.quantity FOR UPDATE OF st) locked
                    """),
                new NpgsqlBatchCommand(
                    """
                    UPDATE station_states st SET derived = u.derived, dirty = (st.version <> u.version), refreshed_at = $5
                    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[]) AS u (station_id, quantity, version, derived)
                    WHERE st.station_id = u.station_id AND st.quantity = u.quantity
                    """),
            },
        })
        {
            var stations = dirty.Select(d => d.StationId).ToArray();
            var quantities = dirty.Select(d => d.Quantity).ToArray();
            update.BatchCommands[0].Parameters.AddWithValue(stations);
            update.BatchCommands[0].Parameters.AddWithValue(quantities);
            var write = update.BatchCommands[1].Parameters;
            write.AddWithValue(stations);
            write.AddWithValue(quantities);
            write.AddWithValue(dirty.Select(d => d.Version).ToArray());
            write.Add(new NpgsqlParameter
            {
                Value = states.Select(state => JsonSerializer.Serialize(state, BousaiJson.Options)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
            });
            write.AddWithValue(now);
            await update.ExecuteNonQueryAsync(ct);
        }

        await SituationEventLog.AppendManyAsync(connection, transaction,
            states.Select(state => (SituationEvent)new StationStateChanged(state) { At = now }).ToList(), ct);
        await transaction.CommitAsync(ct);
        // After the commit, so the hazards are computed from the states just written (a gauge crossing 避難判断水位).
        await hazards.RefreshAsync(ct);
        return dirty.Count;
    }

    private static StationState RiverState(Dirty d, WaterLevelThresholds? thresholds, TimedLevel? earlier)
    {
        var stage = thresholds?.StageOf(d.Value) ?? WaterLevelStage.Normal;
        var dailyWhenLow = d.GaugeType == "crisis" && stage == WaterLevelStage.Normal;
        var trend = earlier is { } e && d.ObservedAt - e.ObservedAt >= WaterLevelTrend.Window
            ? WaterLevelTrend.Over30Minutes(new TimedLevel(d.ObservedAt, d.Value), e)
            : WaterLevelTrend.Unknown;
        return new StationState(d.StationId, d.Quantity, d.Value, d.ObservedAt, d.HeardAt,
            Staleness.StaleAfter(d.HeardAt, TimeSpan.FromMinutes(d.ExpectedIntervalMinutes), dailyWhenLow),
            Stage: stage, AlertLevelEquivalent: WaterLevelStages.AlertLevelEquivalent(stage), Trend: trend.Direction, MetresPerHour: trend.MetresPerHour);
    }

    private static StationState RainState(Dirty d, List<RainSample> samples)
    {
        var totals = RainTotals.AsOf(d.ObservedAt, samples);
        var soilWaterIndex = SoilWaterIndex.After(samples, d.ObservedAt - RainHistory, d.ObservedAt);
        return new StationState(d.StationId, d.Quantity, d.Value, d.ObservedAt, d.HeardAt,
            Staleness.StaleAfter(d.HeardAt, TimeSpan.FromMinutes(d.ExpectedIntervalMinutes), reportsDailyWhenLow: false),
            Rain: totals, Landslide: LocalLandslideEstimate.From(totals.SixtyMinutes, soilWaterIndex, LandslideCriteria.Takahata));
    }

    private static async Task<Dictionary<string, WaterLevelThresholds>> ThresholdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<Dirty> rivers, CancellationToken ct)
    {
        var levels = new Dictionary<string, Dictionary<WaterLevelThreshold, double>>();
        if (rivers.Count > 0)
        {
            await using var command = new NpgsqlCommand(
                "SELECT station_id, stage, level_m FROM station_thresholds WHERE station_id = ANY($1)", connection, transaction);
            command.Parameters.AddWithValue(rivers.Select(r => r.StationId).ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (!WaterLevelThresholds.TryParseStage(reader.GetString(1), out var stage)) continue;
                var id = reader.GetString(0);
                if (!levels.TryGetValue(id, out var station)) levels[id] = station = [];
                station[stage] = reader.GetDouble(2);
            }
        }

        var gaugeTypes = rivers.ToDictionary(r => r.StationId, r => r.GaugeType);
        return levels.Select(l => (l.Key, WaterLevelThresholds.Create(l.Value, gaugeTypes[l.Key] == "crisis").Thresholds))
            .Where(t => t.Thresholds is not null)
            .ToDictionary(t => t.Key, t => t.Thresholds!);
    }

    /// <summary>For each river gauge, the latest reading at least 30 minutes before its latest: one index probe each.</summary>
    private static async Task<Dictionary<string, TimedLevel>> LevelsHalfAnHourEarlierAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<Dirty> rivers, CancellationToken ct)
    {
        var earlier = new Dictionary<string, TimedLevel>();
        if (rivers.Count == 0) return earlier;
        await using var command = new NpgsqlCommand(
            """
            SELECT g.station_id, r.observed_at, r.value
            FROM unnest($1::text[], $2::timestamptz[]) AS g (station_id, before)
            CROSS JOIN LATERAL (
                SELECT observed_at, value FROM readings
                WHERE station_id = g.station_id AND quantity = 'water_level' AND observed_at <= g.before
                ORDER BY observed_at DESC LIMIT 1) r
            """, connection, transaction);
        command.Parameters.AddWithValue(rivers.Select(r => r.StationId).ToArray());
        command.Parameters.AddWithValue(rivers.Select(r => r.ObservedAt - WaterLevelTrend.Window).ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            earlier[reader.GetString(0)] = new TimedLevel(reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2));
        }

        return earlier;
    }

    /// <summary>The rain of the last 7 days before each gauge's latest observation; dry intervals add nothing, so only wet ones are read.</summary>
    private static async Task<Dictionary<string, List<RainSample>>> RainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<Dirty> gauges, CancellationToken ct)
    {
        var rain = new Dictionary<string, List<RainSample>>();
        if (gauges.Count == 0) return rain;
        await using var command = new NpgsqlCommand(
            """
            SELECT r.station_id, r.observed_at, r.value, coalesce(r.interval_minutes, 10)
            FROM unnest($1::text[], $2::timestamptz[]) AS g (station_id, latest)
            JOIN readings r ON r.station_id = g.station_id AND r.quantity = 'rainfall'
                AND r.observed_at > g.latest - interval '7 days' AND r.observed_at <= g.latest AND r.value > 0
            """, connection, transaction);
        command.Parameters.AddWithValue(gauges.Select(g => g.StationId).ToArray());
        command.Parameters.AddWithValue(gauges.Select(g => g.ObservedAt).ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            if (!rain.TryGetValue(id, out var samples)) rain[id] = samples = [];
            samples.Add(new RainSample(reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2), reader.GetInt16(3)));
        }

        return rain;
    }
}
