using System.Diagnostics;

namespace Bousai.Bench.LiveFanout;

public sealed record LiveFanoutOptions(
    Uri Server,
    int ServerPid,
    string UserName,
    string Password,
    int Baseline,
    IReadOnlyList<int> Sizes,
    int Events,
    int RampConcurrency,
    TimeSpan DeliveryTimeout);

/// <summary>One committed event, and when each connected client had it.</summary>
public sealed record FanoutRound(
    int Expected,
    int Delivered,
    double FirstMs,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double CommitMs,
    double ServerCpuMs,
    double BenchCpuMs,
    double OtherCpuMs,
    long[] Collections);

public sealed record FanoutScenario(
    int Clients,
    int Connected,
    double ConnectSeconds,
    long RssBefore,
    long RssConnected,
    long RssAfterClose,
    long? HeapBefore,
    long? HeapConnected,
    int ServerThreads,
    double ScrapeMs,
    double ScrapeServerCpuMs,
    long BenchRss,
    IReadOnlyList<FanoutRound> Rounds,
    int Gaps,
    IReadOnlyList<string> Failures)
{
    public double MedianP50 => Median(Rounds.Select(r => r.P50Ms));
    public double MedianP99 => Median(Rounds.Select(r => r.P99Ms));
    public double Max => Rounds.Max(r => r.MaxMs);
    public int WorstDelivered => Rounds.Min(r => r.Delivered);
    public long RssPerClient => (RssConnected - RssBefore) / Clients;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// Issue 3: N residents follow /hubs/public; HQ commits one shelter change; how long until every one of them has it,
/// and what the connections cost the server in memory. The baseline (a handful of clients, same path, same run) is
/// what every figure is divided by, because this machine's absolute numbers drift from run to run.
/// </summary>
public sealed class LiveFanoutBenchmark(LiveFanoutOptions options, TextWriter progress)
{
    public const int WarmUpRounds = 2;
    public const string Shelter = "takahata-shelter-05";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private readonly ShelterRounds _rounds = new(Shelter);

    public async Task<IReadOnlyList<FanoutScenario>> RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(30) };
        var server = new ServerProcess(options.ServerPid, http);
        using var staff = await StaffSession.SignInAsync(options.Server, options.UserName, options.Password, ct);

        var scenarios = new List<FanoutScenario>();
        foreach (var (clients, warmUp) in options.Sizes.Prepend(options.Baseline).Select((n, i) => (n, i == 0 ? WarmUpRounds : 0)))
        {
            scenarios.Add(await RunScenarioAsync(server, staff, clients, warmUp, ct));
        }

        return scenarios;
    }

    private async Task<FanoutScenario> RunScenarioAsync(ServerProcess server, StaffSession staff, int count, int warmUp, CancellationToken ct)
    {
        var rssBefore = server.Rss();
        var heapBefore = (await server.MetricsAsync(ct)).ManagedHeap;
        var audience = await HubAudience.ConnectAsync(options.Server, _rounds, count, options.RampConcurrency, progress, ct);

        await Task.Delay(Settle, ct);
        var rssConnected = server.Rss();
        // A Prometheus scrape reads per-process figures that grow with the open sockets: what does one cost now?
        var scrapeCpu = server.CpuSeconds();
        var scrape = Stopwatch.StartNew();
        var metricsConnected = await server.MetricsAsync(ct);
        var scrapeMs = scrape.Elapsed.TotalMilliseconds;
        var scrapeServerCpuMs = (server.CpuSeconds() - scrapeCpu) * 1000;
        var threads = server.Threads();
        var benchRss = ServerProcess.RssOf("/proc/self/status");

        for (var i = 0; i < warmUp; i++)
        {
            await audience.RoundAsync(server, staff, options.DeliveryTimeout, progress, ct);
        }

        var rounds = new List<FanoutRound>();
        for (var i = 0; i < options.Events; i++)
        {
            var round = await audience.RoundAsync(server, staff, options.DeliveryTimeout, progress, ct);
            rounds.Add(round);
            progress.WriteLine($"[bench] {count} clients, event {i + 1}/{options.Events}: {round.Delivered}/{count} delivered, " +
                               $"p50 {round.P50Ms:0.0} ms, p99 {round.P99Ms:0.0} ms, max {round.MaxMs:0.0} ms");
        }

        var (gaps, failures) = await audience.CloseAsync(options.RampConcurrency, progress, ct);
        await WaitForHubToEmptyAsync(server, ct);
        var rssAfterClose = server.Rss();

        return new FanoutScenario(count, audience.Connected, audience.ConnectSeconds, rssBefore, rssConnected, rssAfterClose, heapBefore,
            metricsConnected.ManagedHeap, threads, scrapeMs, scrapeServerCpuMs, benchRss, rounds, gaps, failures);
    }

    private static async Task WaitForHubToEmptyAsync(ServerProcess server, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            var open = (await server.MetricsAsync(ct)).HubConnections;
            if (open is null or 0) break;
            await Task.Delay(250, ct);
        }

        await Task.Delay(Settle, ct);
    }
}
