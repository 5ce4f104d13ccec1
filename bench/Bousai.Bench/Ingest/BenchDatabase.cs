using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Bench.Ingest;

/// <summary>The bench's own connection to the server's database: test stations, exact counts, and the baselines written straight into PostgreSQL.</summary>
public sealed class BenchDatabase(NpgsqlDataSource db)
{
    /// <summary>The id sensors-sim's load mode gives station <paramref name="n"/> (docs/mqtt.md).</summary>
    public static string LoadStation(int n) => $"load-{n:00000}";

    /// <summary>
    /// Creates the stations <paramref name="prefix"/>1 … in one statement, the same row POST /api/admin/stations inserts
    /// (source 'admin' there; 'bench' here), without thresholds: water-level gauges at stage "normal". Existing ones are kept.
    /// </summary>
    public async Task EnsureStationsAsync(string prefix, int digits, int count, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            INSERT INTO stations (id, source, kind, gauge_type, expected_interval_minutes, name_ja, name_en, illustrative, properties, geom)
            SELECT $1 || lpad(n::text, $2, '0'), 'bench', 'water_level', 'standard', 10, '負荷試験 ' || n, 'bench ' || n, true, '{}',
                   ST_SetSRID(ST_MakePoint(140.15 + (n % 100) * 0.001, 37.95 + (n / 100) * 0.001), 4326)
            FROM generate_series(1, $3) AS n
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.AddWithValue(prefix);
        command.Parameters.AddWithValue(digits);
        command.Parameters.AddWithValue(count);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Readings of stations whose id starts with <paramref name="prefix"/> (a range scan of the primary key).</summary>
    public async Task<long> CountReadingsAsync(string prefix, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM readings WHERE station_id >= $1 AND station_id < $2");
        command.Parameters.AddWithValue(prefix);
        command.Parameters.AddWithValue(prefix[..^1] + (char)(prefix[^1] + 1));
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>pg_stat_statements when the cluster preloads it (`./bousai bench ingest` does); false otherwise.</summary>
    public async Task<bool> ResetStatementStatsAsync(CancellationToken ct)
    {
        try
        {
            await using var create = db.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            await create.ExecuteNonQueryAsync(ct);
            await using var reset = db.CreateCommand("SELECT pg_stat_statements_reset()");
            await reset.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    /// <summary>
    /// Time per statement kind since the reset. The ingest INSERT reads a temporary table, which has a new OID on every
    /// connection, so it appears under many query ids: statements are grouped by their first words.
    /// </summary>
    public async Task<StatementTime[]> StatementTimesAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 48) AS statement, sum(calls)::bigint, sum(total_exec_time), sum(rows)::bigint
            FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat%' AND query NOT LIKE '%pg_stat_activity%'
            GROUP BY 1 ORDER BY 3 DESC LIMIT 10
            """);
        var times = new List<StatementTime>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            times.Add(new StatementTime(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetInt64(3)));
        }

        return [.. times];
    }

    /// <summary>
    /// Baseline: the same rows (station_id, quantity, observed_at, value; interval_minutes null, received_at now) written by
    /// binary COPY from this process straight into a copy of readings (same columns, checks, primary key and foreign key
    /// to stations), <paramref name="batchRows"/> rows per COPY, each its own transaction, one connection: PostgreSQL's
    /// own ceiling for these rows on this machine.
    /// </summary>
    public async Task<BaselineResult> RawCopyAsync(int stations, long rows, int batchRows, CancellationToken ct)
    {
        await ExecuteAsync(
            """
            DROP TABLE IF EXISTS bench_copy_readings;
            CREATE TABLE bench_copy_readings (LIKE readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
            ALTER TABLE bench_copy_readings ADD FOREIGN KEY (station_id) REFERENCES stations (id);
            """, ct);
        var ids = Enumerable.Range(1, stations).Select(LoadStation).ToArray();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var cpu = ServerProcess.CpuSecondsOf("/proc/self/stat");
        var clock = Stopwatch.StartNew();
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            for (long first = 0; first < rows; first += batchRows)
            {
                await using var copy = await connection.BeginBinaryImportAsync(
                    "COPY bench_copy_readings (station_id, quantity, observed_at, value) FROM STDIN (FORMAT BINARY)", ct);
                for (var i = first; i < Math.Min(rows, first + batchRows); i++)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(ids[i % stations], NpgsqlDbType.Text, ct);
                    await copy.WriteAsync("water_level", NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(start.AddMilliseconds(i / stations), NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(2.0 + (i % 1000) / 1000.0, NpgsqlDbType.Double, ct);
                }

                await copy.CompleteAsync(ct);
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var benchCpu = ServerProcess.CpuSecondsOf("/proc/self/stat") - cpu;
        var stored = await ScalarAsync("SELECT count(*) FROM bench_copy_readings", ct);
        if (stored != rows) throw new InvalidOperationException($"raw COPY baseline: {stored} rows stored of {rows}");
        await ExecuteAsync("DROP TABLE bench_copy_readings", ct);
        return new BaselineResult("raw binary COPY into a copy of readings (bench → PostgreSQL)", rows, batchRows, seconds, benchCpu / seconds);
    }

    /// <summary>
    /// Baseline: the server's own statements for a batch (stations lookup, staging COPY, INSERT … ON CONFLICT DO NOTHING
    /// into readings with the station_states upsert, one transaction, a pooled connection opened per batch), run from this
    /// process against copies of readings and station_states, so no refresher competes for their rows: what PostgreSQL
    /// costs the server's write path without MQTT, JSON or the derived-state refresher.
    /// </summary>
    public async Task<BaselineResult> ServerSqlPathAsync(int stations, long rows, int batchRows, CancellationToken ct)
    {
        await ExecuteAsync(
            """
            DROP TABLE IF EXISTS bench_sql_readings, bench_sql_states;
            CREATE TABLE bench_sql_readings (LIKE readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
            ALTER TABLE bench_sql_readings ADD FOREIGN KEY (station_id) REFERENCES stations (id);
            CREATE TABLE bench_sql_states (LIKE station_states INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
            ALTER TABLE bench_sql_states ADD FOREIGN KEY (station_id) REFERENCES stations (id) ON DELETE CASCADE;
            """, ct);
        var ids = Enumerable.Range(1, stations).Select(LoadStation).ToArray();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var cpu = ServerProcess.CpuSecondsOf("/proc/self/stat");
        var clock = Stopwatch.StartNew();
        for (long first = 0; first < rows; first += batchRows)
        {
            var count = (int)Math.Min(batchRows, rows - first);
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var lookup = new NpgsqlCommand("SELECT id, kind FROM stations WHERE id = ANY($1)", connection, transaction))
            {
                lookup.Parameters.AddWithValue(Enumerable.Range(0, count).Select(i => ids[(first + i) % stations]).Distinct().ToArray());
                await using var reader = await lookup.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) { }
            }

            await using (var staging = new NpgsqlCommand(
                """
                CREATE TEMP TABLE IF NOT EXISTS ingest_staging (
                    station_id text, quantity text, observed_at timestamptz, value double precision, interval_minutes smallint
                ) ON COMMIT DELETE ROWS
                """, connection, transaction))
            {
                await staging.ExecuteNonQueryAsync(ct);
            }

            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY ingest_staging (station_id, quantity, observed_at, value, interval_minutes) FROM STDIN (FORMAT BINARY)", ct))
            {
                for (var i = first; i < first + count; i++)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(ids[i % stations], NpgsqlDbType.Text, ct);
                    await copy.WriteAsync("water_level", NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(start.AddMilliseconds(i / stations), NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(2.0 + (i % 1000) / 1000.0, NpgsqlDbType.Double, ct);
                    await copy.WriteNullAsync(ct);
                }

                await copy.CompleteAsync(ct);
            }

            await using (var insert = new NpgsqlCommand(
                """
                WITH stored AS (
                    INSERT INTO bench_sql_readings (station_id, quantity, observed_at, value, interval_minutes, received_at)
                    SELECT DISTINCT ON (station_id, quantity, observed_at) station_id, quantity, observed_at, value, interval_minutes, $1
                    FROM ingest_staging
                    ORDER BY station_id, quantity, observed_at
                    ON CONFLICT (station_id, quantity, observed_at) DO NOTHING
                    RETURNING station_id, quantity, observed_at, value
                ), latest AS (
                    SELECT DISTINCT ON (station_id, quantity) station_id, quantity, observed_at, value
                    FROM stored ORDER BY station_id, quantity, observed_at DESC
                ), states AS (
                    INSERT INTO bench_sql_states AS s (station_id, quantity, observed_at, value, heard_at, dirty)
                    SELECT station_id, quantity, observed_at, value, $1, true FROM latest
                    ON CONFLICT (station_id, quantity) DO UPDATE SET
                        heard_at = greatest(s.heard_at, excluded.heard_at),
                        dirty = true,
                        value = CASE WHEN excluded.observed_at > s.observed_at THEN excluded.value ELSE s.value END,
                        observed_at = greatest(s.observed_at, excluded.observed_at)
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM stored)::int, (SELECT count(*) FROM states)::int
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue(DateTimeOffset.UtcNow);
                await using var reader = await insert.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var benchCpu = ServerProcess.CpuSecondsOf("/proc/self/stat") - cpu;
        var stored = await ScalarAsync("SELECT count(*) FROM bench_sql_readings", ct);
        if (stored != rows) throw new InvalidOperationException($"server SQL path baseline: {stored} rows stored of {rows}");
        await ExecuteAsync("DROP TABLE bench_sql_readings, bench_sql_states", ct);
        return new BaselineResult("the server's batch statements, from the bench, no refresher (copies of readings, station_states)", rows, batchRows, seconds,
            benchCpu / seconds);
    }

    /// <summary>
    /// Samples what the active backends wait for (pg_stat_activity) every <paramref name="every"/> until cancelled, by
    /// statement (first words) and wait event; "CPU" when an active backend waits for nothing.
    /// </summary>
    public async Task<WaitShare[]> SampleWaitsAsync(TimeSpan every, CancellationToken stop)
    {
        var counts = new Dictionary<(string, string), int>();
        var total = 0;
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        using var ticker = new PeriodicTimer(every);
        try
        {
            while (await ticker.WaitForNextTickAsync(stop))
            {
                await using var command = new NpgsqlCommand(
                    """
                    SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 40), coalesce(wait_event_type || ':' || wait_event, 'CPU')
                    FROM pg_stat_activity
                    WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
                    """, connection);
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var key = (reader.GetString(0), reader.GetString(1));
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    total++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return [.. counts.OrderByDescending(c => c.Value).Take(8)
            .Select(c => new WaitShare(c.Key.Item1, c.Key.Item2, c.Value, total == 0 ? 0 : (double)c.Value / total))];
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
