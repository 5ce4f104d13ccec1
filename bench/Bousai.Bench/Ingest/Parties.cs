using System.Diagnostics;
using System.Globalization;

namespace Bousai.Bench.Ingest;

/// <summary>
/// The processes that share the 2 cores during an ingestion run, and their CPU time from /proc: the server, PostgreSQL
/// (the postmaster and every process it started), mosquitto, the load publisher (sensors-sim, once started) and this
/// bench process. The machine's busy time (/proc/stat) minus all of them is "other".
/// </summary>
public sealed class Parties(int serverPid, int postmasterPid, int mosquittoPid)
{
    public int? PublisherPid { get; set; }

    public CpuReading Read() => new(
        Stopwatch.GetTimestamp(),
        Cpu(serverPid),
        PostgreSqlCpu(),
        Cpu(mosquittoPid),
        PublisherCpu(),
        Cpu(Environment.ProcessId),
        MachineCpu.BusySeconds());

    public static CpuSplit Between(CpuReading from, CpuReading to)
    {
        var seconds = Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
        double Cores(double a, double b) => Math.Max(0, b - a) / seconds;
        return new CpuSplit(Cores(from.Server, to.Server), Cores(from.PostgreSql, to.PostgreSql), Cores(from.Mosquitto, to.Mosquitto),
            Cores(from.Publisher, to.Publisher), Cores(from.Bench, to.Bench), Cores(from.Machine, to.Machine));
    }

    private double _publisherCpu;

    /// <summary>The publisher's CPU time, or the last reading once it has exited.</summary>
    private double PublisherCpu()
    {
        if (PublisherPid is not { } pid) return _publisherCpu;
        var cpu = Cpu(pid);
        if (cpu > _publisherCpu) _publisherCpu = cpu;
        return _publisherCpu;
    }

    private static double Cpu(int pid)
    {
        try
        {
            return ServerProcess.CpuSecondsOf($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // gone (the publisher after it exited): the last reading before that stands in the window
        }
    }

    /// <summary>The postmaster and its children (backends, autovacuum, WAL writer, checkpointer…), own time plus that of children already reaped.</summary>
    private double PostgreSqlCpu()
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
            // utime, stime, cutime, cstime: a backend that ended is counted in the postmaster's cutime/cstime.
            total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                      + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
        }

        return total;
    }
}

public sealed record CpuReading(long Timestamp, double Server, double PostgreSql, double Mosquitto, double Publisher, double Bench, double Machine);
