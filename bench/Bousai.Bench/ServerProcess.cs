using System.Globalization;

namespace Bousai.Bench;

/// <summary>What the benchmark reads about the server process: memory and CPU from /proc, the managed heap and GC counts from /metrics.</summary>
public sealed class ServerProcess(int pid, HttpClient http)
{
    /// <summary>Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel configuration.</summary>
    private const double TicksPerSecond = 100;

    public int Pid { get; } = pid;

    /// <summary>Resident set size now (VmRSS), in bytes.</summary>
    public long Rss() => StatusField("VmRSS:");

    /// <summary>The highest resident set size so far (VmHWM), in bytes.</summary>
    public long PeakRss() => StatusField("VmHWM:");

    public int Threads() => (int)StatusValue("Threads:");

    /// <summary>User plus system CPU time the process has used, in seconds.</summary>
    public double CpuSeconds() => CpuSecondsOf($"/proc/{Pid}/stat");

    public static double CpuSecondsOf(string statFile)
    {
        // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
        var stat = File.ReadAllText(statFile);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    public static long RssOf(string statusFile) => StatusValueOf(statusFile, "VmRSS:") * 1024;

    public async Task<ServerMetrics> MetricsAsync(CancellationToken ct)
    {
        var text = await http.GetStringAsync("/metrics", ct);
        double? heap = null;
        var collections = new long[3];
        double? connections = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            var name = line[..space];
            if (name == "dotnet_total_memory_bytes") heap = value;
            else if (name.StartsWith("dotnet_collection_count_total{generation=\"", StringComparison.Ordinal))
            {
                var generation = name["dotnet_collection_count_total{generation=\"".Length] - '0';
                if (generation is >= 0 and < 3) collections[generation] = (long)value;
            }
            else if (name.Contains("signalr_server_active_connections", StringComparison.Ordinal)) connections = (connections ?? 0) + value;
        }

        return new ServerMetrics(heap is null ? null : (long)heap, collections, connections is null ? null : (int)connections);
    }

    private long StatusField(string name) => StatusValue(name) * 1024;

    private long StatusValue(string name) => StatusValueOf($"/proc/{Pid}/status", name);

    private static long StatusValueOf(string file, string name)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
            var value = line[name.Length..].Trim();
            var space = value.IndexOf(' ');
            return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"{file} has no {name} line");
    }
}

/// <summary>From the server's Prometheus endpoint: the managed heap (GC.GetTotalMemory), collections per generation, open SignalR connections when exported.</summary>
public sealed record ServerMetrics(long? ManagedHeap, long[] Collections, int? HubConnections);

/// <summary>CPU time the whole machine spent busy (every process, PostgreSQL and other users included), from /proc/stat.</summary>
public static class MachineCpu
{
    public static double BusySeconds()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields.Length > 7 ? fields[7] : 0);
        return busy / 100.0;
    }
}

/// <summary>CPU time of a PostgreSQL cluster: the postmaster and every process it started (backends, autovacuum, WAL writer, checkpointer…).</summary>
public static class PostgreSqlCpu
{
    /// <summary>Own time plus that of children already reaped (a backend that ended is counted in the postmaster's cutime/cstime), in seconds.</summary>
    public static double Seconds(int postmasterPid)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0])) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var pid = int.Parse(name, CultureInfo.InvariantCulture);
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid != postmasterPid && parent != postmasterPid) continue;
            total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                      + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
        }

        return total;
    }
}
