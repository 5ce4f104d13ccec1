using System.Globalization;
using System.Text;

namespace Bousai.Bench.LiveFanout;

/// <summary>The results as Markdown: the summary table (every figure also as a ratio to the baseline of the same run), then every round.</summary>
public static class LiveFanoutReport
{
    public const int TargetClients = 10_000;
    public const double TargetP99Ms = 1_000;

    public static string Render(IReadOnlyList<FanoutScenario> scenarios, LiveFanoutOptions options)
    {
        var baseline = scenarios[0];
        var text = new StringBuilder();
        void Line(string line) => text.AppendLine(line);

        Line($"## live-fanout — {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
        text.AppendLine();
        Line($"Machine: {MachineFacts.Describe()}");
        Line($"One shelter status change per round on /hubs/public; {options.Events} measured rounds per size, one at a time; " +
             $"baseline {baseline.Clients} clients (after {LiveFanoutBenchmark.WarmUpRounds} warm-up rounds); ramp {options.RampConcurrency} connections at a time. " +
             $"Latency: HQ's PUT sent → the events message in the client's hands (one clock). p50/p99: median over the rounds; max: worst round.");
        text.AppendLine();
        text.AppendLine("| clients | connect (s) | p50 (ms) | p99 (ms) | max (ms) | p50 × base | p99 × base | delivered / N (worst round) | server RSS before → connected (MiB) | RSS per client (KiB): this size / since start | managed heap before → connected (MiB) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in scenarios)
        {
            Line($"| {s.Clients:N0}{(ReferenceEquals(s, baseline) ? " (baseline)" : "")} | {s.ConnectSeconds:0.0} | {s.MedianP50:0.0} | {s.MedianP99:0.0} | {s.Max:0.0} | " +
                 $"{s.MedianP50 / baseline.MedianP50:0.0}× | {s.MedianP99 / baseline.MedianP99:0.0}× | {s.WorstDelivered:N0} / {s.Clients:N0} | " +
                 $"{Mib(s.RssBefore)} → {Mib(s.RssConnected)} | {s.RssPerClient / 1024.0:0.0} / {(s.RssConnected - baseline.RssBefore) / 1024.0 / s.Clients:0.0} | " +
                 $"{(s.HeapBefore is { } before ? Mib(before) : "—")} → {(s.HeapConnected is { } heap ? Mib(heap) : "—")} |");
        }

        text.AppendLine();
        text.AppendLine("RSS per client: the growth while this size connected, divided by N (memory kept from an earlier size is reused, so this is " +
                        "a low estimate) / the growth since the server's first reading, divided by N (a high one). The managed heap is " +
                        "GC.GetTotalMemory without a collection: it includes garbage not yet collected.");
        text.AppendLine();
        if (scenarios.FirstOrDefault(s => s.Clients == TargetClients) is { } target)
        {
            var met = target.MedianP99 < TargetP99Ms && target.WorstDelivered == target.Clients;
            Line($"Target (10,000 clients, p99 < 1 s, nothing lost): **{(met ? "met" : "missed")}** — p99 {target.MedianP99:0} ms (median of {target.Rounds.Count} rounds; worst round {target.Rounds.Max(r => r.P99Ms):0} ms), {target.WorstDelivered:N0}/{target.Clients:N0} delivered in the worst round.");
            text.AppendLine();
        }

        text.AppendLine("Every round. first: the earliest client to have the change. CPU: time each process used between the PUT and the " +
                        "last delivery (other: the rest of the machine, PostgreSQL and anything else running). GCs: server collections gen0/1/2 in that window.");
        text.AppendLine();
        text.AppendLine("| clients | round | delivered | first (ms) | p50 (ms) | p99 (ms) | max (ms) | PUT answered (ms) | server CPU (ms) | bench CPU (ms) | other CPU (ms) | server GCs |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in scenarios)
        {
            foreach (var (r, i) in s.Rounds.Select((r, i) => (r, i + 1)))
            {
                Line($"| {s.Clients:N0} | {i} | {r.Delivered:N0} | {r.FirstMs:0.0} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.CommitMs:0.0} | " +
                     $"{r.ServerCpuMs:0} | {r.BenchCpuMs:0} | {r.OtherCpuMs:0} | {string.Join('/', r.Collections)} |");
            }
        }

        text.AppendLine();
        text.AppendLine("Per size: server threads once connected, one GET /metrics with every client connected (answer time, server CPU), " +
                        "server RSS after closing every client, the bench process's own RSS, lost ranges and failures:");
        text.AppendLine();
        text.AppendLine("| clients | connected | server threads | /metrics (ms) | /metrics server CPU (ms) | server RSS after close (MiB) | bench RSS (MiB) | gaps | failures |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in scenarios)
        {
            var failures = s.Failures.Count == 0 ? "none" : $"{s.Failures.Count}: {string.Join("; ", s.Failures.Distinct().Take(3))}";
            Line($"| {s.Clients:N0} | {s.Connected:N0} | {s.ServerThreads} | {s.ScrapeMs:0} | {s.ScrapeServerCpuMs:0} | {Mib(s.RssAfterClose)} | {Mib(s.BenchRss)} | {s.Gaps} | {failures} |");
        }

        return text.ToString();
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);
}

public static class MachineFacts
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryGiB = memory is not null && long.TryParse(memory.Split(' ')[0], CultureInfo.InvariantCulture, out var kib)
            ? string.Create(CultureInfo.InvariantCulture, $"{kib / 1048576.0:0.0} GiB")
            : "unknown";
        return $"{Environment.ProcessorCount} CPUs ({cpu ?? "unknown model"}), {memoryGiB} RAM, " +
               $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
    }
}
