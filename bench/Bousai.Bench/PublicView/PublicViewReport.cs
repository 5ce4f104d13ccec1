using System.Text;
using Bousai.Bench.LiveFanout;

namespace Bousai.Bench.PublicView;

/// <summary>The results as Markdown: one line per row with both sides and the ratio server/nginx, the target, then what failed.</summary>
public static class PublicViewReport
{
    public static string Render(PublicViewResults results, PublicViewOptions options)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);

        Line($"## public — {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
        Line();
        Line($"Machine: {MachineFacts.Describe()}; load average before {results.LoadBefore}, after {results.LoadAfter}.");
        Line($"wrk {options.Threads} threads, {options.Connections} connections over loopback; per row and side a {options.WarmUp.TotalSeconds:0} s warm-up, then " +
             $"{options.Duration.TotalSeconds:0} s measured in {options.Rounds} turns taken alternately with the other side (req/s: all requests over all turns; " +
             "p50/p99: the median of the turns'); the same request headers on both sides " +
             $"(Accept-Encoding: identity unless the row says gzip; 304 rows send each side's own ETag in If-None-Match). " +
             $"nginx serves the server's bytes ({string.Join(", ", results.Sizes.Select(s => $"{s.Key} {s.Value:N0} B"))}) as static files " +
             "(sendfile, access_log off, etag on, worker_processes auto, gzip_static for the server's own gzip bytes). " +
             "CPU: the process's user + system time during the run divided by its requests (nginx: master and workers).");
        Line();
        Line("| row | server req/s | nginx req/s | server / nginx | server p50 (ms) | nginx p50 (ms) | server p99 (ms) | nginx p99 (ms) | server CPU (µs/req) | nginx CPU (µs/req) | bytes/response server · nginx |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in results.Rows)
        {
            string Rps(SideResult s) => s.Measured ? $"{s.Run!.RequestsPerSecond:N0}" : "—";
            string Ms(SideResult s, Func<WrkRun, double> pick) => s.Measured ? $"{pick(s.Run!):0.00}" : "—";
            string Cpu(SideResult s) => s.Measured ? $"{s.CpuMicrosecondsPerRequest:0}" : "—";
            string Bytes(SideResult s) => s.Checked is { } c ? $"{c.WireBytes:N0}" : "—";
            var ratio = row.Ratio is { } r ? $"**{r:0.00}×**" : "FAILED";
            Line($"| {row.Name} | {Rps(row.Server)} | {Rps(row.Nginx)} | {ratio} | {Ms(row.Server, w => w.P50Ms)} | {Ms(row.Nginx, w => w.P50Ms)} | " +
                 $"{Ms(row.Server, w => w.P99Ms)} | {Ms(row.Nginx, w => w.P99Ms)} | {Cpu(row.Server)} | {Cpu(row.Nginx)} | {Bytes(row.Server)} · {Bytes(row.Nginx)} |");
        }

        Line();
        var targets = results.Rows.Where(r => r.Target).ToList();
        var met = targets.Count > 0 && targets.All(r => r.Ratio >= PublicViewBenchmark.Target);
        Line($"Target (server ≥ {PublicViewBenchmark.Target:0.0} × nginx on the HTML, the JSON and their 304 rows): **{(met ? "met" : "missed")}** — " +
             string.Join("; ", targets.Select(r => $"{r.Name} {(r.Ratio is { } x ? $"{x:0.00}×" : "failed")}")) + ".");
        var failures = results.Rows.SelectMany(r => new[] { (r.Name, Side: "server", r.Server.Failure), (r.Name, Side: "nginx", r.Nginx.Failure) })
            .Where(f => f.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            Line();
            Line("Failed (not measured, or measured and rejected):");
            Line();
            foreach (var (name, side, failure) in failures) Line($"- {name}, {side}: {failure}");
        }

        return text.ToString();
    }
}
