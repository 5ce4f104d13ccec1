using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Bousai.Bench.History;

public sealed record HistoryOptions(Uri Server, string Db, string User, string Password, string Fixtures, int Days, int GaugeMinutes, int Storms,
    int Moments, int CheckpointEvery, TimeSpan CatchUpTimeout, string? Report);

/// <summary>
/// Any moment of a year of log opens quickly: a year of synthetic events is written into the log of a running server
/// (its first checkpoint dated to the year's start, as if the record had begun then), the server's checkpointer catches
/// up, then HQ asks for the situation at random moments of the year. Baselines in the same run: a small staff request
/// (/api/situation/record, the same sign-in and middleware) and the plain read of the rows a replay without checkpoints
/// would have to read.
/// </summary>
public sealed class HistoryBenchmark(HistoryOptions options, TextWriter log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var db = NpgsqlDataSource.Create(options.Db);
        var (genesis, stations, shelters, districts) = await ReadTownAsync(db, ct);
        var end = DateTimeOffset.UtcNow.AddMinutes(-10);
        var start = end.AddDays(-options.Days);
        var year = new SyntheticYear(options.Fixtures, stations, shelters, districts, options.GaugeMinutes, options.Storms, seed: 15);

        log.WriteLine($"[bench] writing {options.Days} days of events ({stations.Count} gauges every {options.GaugeMinutes} min, {options.Storms} storms)");
        var written = Stopwatch.StartNew();
        var (first, last) = await WriteAsync(db, genesis, start, year.Between(start, end), ct);
        written.Stop();
        var events = last - first + 1;
        log.WriteLine($"[bench] {events:N0} events ({first}..{last}) in {written.Elapsed.TotalSeconds:F1} s; waiting for the checkpoints");

        var catchUp = Stopwatch.StartNew();
        long checkpoints;
        while (true)
        {
            checkpoints = await ScalarAsync<long>(db, "SELECT count(*) FROM situation_checkpoints", ct);
            var newest = await ScalarAsync<long>(db, "SELECT max(seq) FROM situation_checkpoints", ct);
            if (last - newest < options.CheckpointEvery) break;
            if (catchUp.Elapsed > options.CatchUpTimeout) throw new TimeoutException($"The checkpoints reached only event {newest} of {last}.");
            await Task.Delay(500, ct);
        }

        catchUp.Stop();
        var checkpointBytes = await ScalarAsync<long>(db, "SELECT pg_total_relation_size('situation_checkpoints')", ct);
        var logBytes = await ScalarAsync<long>(db, "SELECT pg_total_relation_size('situation_events')", ct);
        log.WriteLine($"[bench] {checkpoints:N0} checkpoints in {catchUp.Elapsed.TotalSeconds:F1} s");

        using var hq = await StaffSession.SignInAsync(options.Server, options.User, options.Password, ct);
        var random = new Random(42);
        var moments = Enumerable.Range(0, options.Moments).Select(_ => start + (end - start) * random.NextDouble()).ToArray();
        for (var i = 0; i < 10; i++) await AtAsync(hq, moments[i], ct);

        var record = new List<double>();
        var at = new List<double>();
        var sizes = new List<long>();
        var wrong = 0;
        foreach (var moment in moments)
        {
            var (ms, bytes, seq) = await AtAsync(hq, moment, ct);
            at.Add(ms);
            sizes.Add(bytes);
            if (seq < first || seq > last) wrong++;
            record.Add(await TimedAsync(hq, "/api/situation/record", ct));
        }

        // What a replay without checkpoints would at least read: every payload from the record's start to the moment.
        var plain = new List<double>();
        foreach (var moment in moments.Take(20))
        {
            var watch = Stopwatch.StartNew();
            await ScalarAsync<long>(db, $"SELECT sum(length(payload::text)) FROM situation_events WHERE seq > {genesis} AND occurred_at <= '{moment:O}'", ct);
            plain.Add(watch.Elapsed.TotalMilliseconds);
        }

        var report = Render(events, written.Elapsed, checkpoints, catchUp.Elapsed, checkpointBytes, logBytes, at, sizes, record, plain, wrong);
        log.Write(report);
        if (options.Report is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, report, ct);
        }

        return wrong == 0 && at.Max() < 1000 ? 0 : 1;
    }

    private static async Task<(double Ms, long Bytes, long Seq)> AtAsync(StaffSession hq, DateTimeOffset moment, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var response = await hq.GetAsync($"/api/situation/at?moment={Uri.EscapeDataString(moment.ToString("O", CultureInfo.InvariantCulture))}", ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/api/situation/at {moment:O}: HTTP {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        var seq = JsonNode.Parse(body)!["snapshot"]!["seq"]!.GetValue<long>();
        return (ms, body.Length, seq);
    }

    private static async Task<double> TimedAsync(StaffSession hq, string path, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var response = await hq.GetAsync(path, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        response.EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>The first checkpoint the server made, and the town's gauges, shelters and districts.</summary>
    private static async Task<(long Genesis, List<string> Stations, List<string> Shelters, List<string> Districts)> ReadTownAsync(NpgsqlDataSource db,
        CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (await ScalarAsync<long>(db, "SELECT count(*) FROM situation_checkpoints", ct) == 0)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("The server wrote no first checkpoint.");
            await Task.Delay(200, ct);
        }

        return (await ScalarAsync<long>(db, "SELECT max(seq) FROM situation_checkpoints", ct),
            await ListAsync(db, "SELECT id FROM stations WHERE kind <> 'rain' ORDER BY id", ct),
            await ListAsync(db, "SELECT id FROM shelters ORDER BY id", ct),
            await ListAsync(db, "SELECT id FROM districts ORDER BY id", ct));
    }

    /// <summary>
    /// Appends the events after the log's head in one transaction (the counter row locked, COPY, the counter moved on),
    /// after dating the first checkpoint to the year's start: the record begins there.
    /// </summary>
    private static async Task<(long First, long Last)> WriteAsync(NpgsqlDataSource db, long genesis, DateTimeOffset start,
        IEnumerable<SyntheticEvent> events, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long head;
        await using (var lockRow = new NpgsqlCommand("SELECT last_seq FROM situation_event_sequence FOR UPDATE", connection, transaction))
        {
            head = (long)(await lockRow.ExecuteScalarAsync(ct))!;
        }

        await using (var date = new NpgsqlCommand("UPDATE situation_checkpoints SET occurred_at = $1 WHERE seq = $2", connection, transaction))
        {
            date.Parameters.AddWithValue(start.AddMinutes(-1).ToUniversalTime());
            date.Parameters.AddWithValue(genesis);
            await date.ExecuteNonQueryAsync(ct);
        }

        var seq = head;
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY situation_events (seq, occurred_at, kind, payload, payload_version) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var e in events)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(++seq, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.At.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(e.Kind, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(e.Payload, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync((short)2, NpgsqlDbType.Smallint, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var move = new NpgsqlCommand("UPDATE situation_event_sequence SET last_seq = $1", connection, transaction))
        {
            move.Parameters.AddWithValue(seq);
            await move.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return (head + 1, seq);
    }

    private string Render(long events, TimeSpan written, long checkpoints, TimeSpan catchUp, long checkpointBytes, long logBytes,
        List<double> at, List<long> sizes, List<double> record, List<double> plain, int wrong)
    {
        var p = (List<double> xs, double q) => Percentiles.Of(xs, q);
        var sb = new StringBuilder();
        sb.AppendLine("## The situation at any moment of a year (`./bousai bench history`)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Log: {events:N0} events over {options.Days} days ({options.GaugeMinutes}-minute gauge states, {options.Storms} storms), written by COPY in {written.TotalSeconds:F1} s; {logBytes / 1048576.0:F0} MiB with indexes.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Checkpoints: {checkpoints:N0} (one every {options.CheckpointEvery:N0} events), written by the server's checkpointer in {catchUp.TotalSeconds:F1} s ({events / catchUp.TotalSeconds:N0} events/s); {checkpointBytes / 1048576.0:F1} MiB.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- {at.Count} random moments of the year, asked one after another by a signed-in HQ session (`GET /api/situation/at`), answer {sizes.Average() / 1024:F0} KiB on average; {wrong} answered outside the year's events.");
        sb.AppendLine();
        sb.AppendLine("| request | p50 ms | p95 ms | p99 ms | max ms | p50 / baseline |");
        sb.AppendLine("|---|---|---|---|---|---|");
        var baseline = p(record, 50);
        void Row(string name, List<double> xs) => sb.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {p(xs, 50):F1} | {p(xs, 95):F1} | {p(xs, 99):F1} | {xs.Max():F1} | {p(xs, 50) / baseline:F1}× |");
        Row("situation at a moment", at);
        Row("baseline: `/api/situation/record` (same session)", record);
        Row("plain SQL read of the payloads a replay without checkpoints needs (20 moments)", plain);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Goal: every moment under 1 s → {(at.Max() < 1000 ? "met" : "NOT met")} (slowest {at.Max():F0} ms).");
        return sb.ToString();
    }


    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<List<string>> ListAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<string>();
        while (await reader.ReadAsync(ct)) list.Add(reader.GetString(0));
        return list;
    }
}
