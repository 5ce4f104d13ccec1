using System.Diagnostics;

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
        PostgreSqlCpu.Seconds(postmasterPid),
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
}

public sealed record CpuReading(long Timestamp, double Server, double PostgreSql, double Mosquitto, double Publisher, double Bench, double Machine);
