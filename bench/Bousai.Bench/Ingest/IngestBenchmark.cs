using System.Text.Json;
using Npgsql;

namespace Bousai.Bench.Ingest;

/// <summary>Runs one phase of the ingestion benchmark and appends its result to the results file (JSON lines).</summary>
public static class IngestBenchmark
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(IngestOptions options, TextWriter progress, CancellationToken ct)
    {
        await using var db = new NpgsqlDataSourceBuilder(options.Database + ";Maximum Pool Size=4").Build();
        using var http = new HttpClient { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(30) };
        var database = new BenchDatabase(db);
        var parties = new Parties(options.ServerPid, options.PostmasterPid, options.MosquittoPid);
        PhaseResult result;
        if (options.Phase == "latency")
        {
            var latency = await new LatencyPhase(options, database, parties, progress).RunAsync(db, ct);
            result = new PhaseResult("latency", options.Label, DateTimeOffset.Now, null, latency, null);
        }
        else
        {
            var baselines = new List<BaselineResult>();
            await database.EnsureStationsAsync("load-", 5, options.Stations, ct);
            if (options.BaselineRows > 0)
            {
                progress.WriteLine($"[bench] baseline: raw binary COPY of {options.BaselineRows:N0} rows, 2,000 a batch");
                var raw = await database.RawCopyAsync(options.Stations, options.BaselineRows, 2_000, ct);
                progress.WriteLine($"[bench] baseline: {raw.RowsPerSecond:N0} rows/s");
                baselines.Add(raw);
            }

            if (options.SqlPathRows > 0)
            {
                progress.WriteLine($"[bench] baseline: the server's batch statements for {options.SqlPathRows:N0} rows, 2,000 a batch");
                var sql = await database.ServerSqlPathAsync(options.Stations, options.SqlPathRows, 2_000, ct);
                progress.WriteLine($"[bench] baseline: {sql.RowsPerSecond:N0} rows/s");
                baselines.Add(sql);
            }

            progress.WriteLine($"[bench] load ({options.Label}): {options.Stations:N0} stations × {options.Rate}/s, {options.Batch} per message, " +
                               $"{options.Duration.TotalSeconds:0} s, then up to {options.DrainTimeout.TotalSeconds:0} s for the server to catch up");
            var load = await new LoadPhase(options, database, parties, http, progress).RunAsync(ct);
            result = new PhaseResult("load", options.Label, DateTimeOffset.Now, load, null, [.. baselines]);
        }

        await File.AppendAllTextAsync(options.Results, JsonSerializer.Serialize(result, Json) + "\n", ct);
        return 0;
    }

    public static IReadOnlyList<PhaseResult> ReadResults(string file) =>
        [.. File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<PhaseResult>(l, Json)!)];
}
