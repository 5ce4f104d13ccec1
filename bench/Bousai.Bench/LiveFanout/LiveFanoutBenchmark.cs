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

    private static double Median(IEnumerable<double> values)
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
    private const string Shelter = "takahata-shelter-05";
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BetweenRounds = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private readonly WatchedChange _watched = new(Shelter);
    // Pings and measured rounds take turns, so a round never shares the CPU with ten thousand pings.
    private readonly SemaphoreSlim _quiet = new(1, 1);
    private int _occupancy;

    public async Task<IReadOnlyList<FanoutScenario>> RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(30) };
        var server = new ServerProcess(options.ServerPid, http);
        using var staff = await StaffSession.SignInAsync(options.Server, options.UserName, options.Password, ct);
        var hub = new UriBuilder(options.Server) { Scheme = options.Server.Scheme == "https" ? "wss" : "ws", Path = "/hubs/public" }.Uri;

        var scenarios = new List<FanoutScenario>();
        foreach (var (clients, warmUp) in options.Sizes.Prepend(options.Baseline).Select((n, i) => (n, i == 0 ? WarmUpRounds : 0)))
        {
            scenarios.Add(await RunScenarioAsync(server, staff, hub, clients, warmUp, ct));
        }

        return scenarios;
    }

    private async Task<FanoutScenario> RunScenarioAsync(ServerProcess server, StaffSession staff, Uri hub, int count, int warmUp,
        CancellationToken ct)
    {
        progress.WriteLine($"[bench] {count} clients: connecting ({options.RampConcurrency} at a time)");
        var rssBefore = server.Rss();
        var heapBefore = (await server.MetricsAsync(ct)).ManagedHeap;
        var clients = new ShelterFollower?[count];
        var failures = new List<string>();
        // Pinging starts with the first connection: connecting 10,000 can take longer than the server's 30 s timeout.
        using var stopPinging = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pinging = KeepAliveAsync(() => clients.OfType<ShelterFollower>(), stopPinging.Token);

        var connecting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = options.RampConcurrency, CancellationToken = ct }, async (i, token) =>
            {
                var client = new ShelterFollower(_watched);
                try
                {
                    await client.ConnectAsync(hub, token);
                    await client.Snapshot.WaitAsync(TimeSpan.FromSeconds(60), token);
                    clients[i] = client;
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    lock (failures) failures.Add($"connect: {e.GetType().Name}: {e.Message}");
                    await client.DisposeAsync();
                }
            });
        var connectSeconds = connecting.Elapsed.TotalSeconds;
        var connected = clients.OfType<ShelterFollower>().ToArray();
        progress.WriteLine($"[bench] {count} clients: {connected.Length} following after {connectSeconds:0.0} s");

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
            await RoundAsync(server, staff, connected, ct);
        }

        var rounds = new List<FanoutRound>();
        for (var i = 0; i < options.Events; i++)
        {
            var round = await RoundAsync(server, staff, connected, ct);
            rounds.Add(round);
            progress.WriteLine($"[bench] {count} clients, event {i + 1}/{options.Events}: {round.Delivered}/{count} delivered, " +
                               $"p50 {round.P50Ms:0.0} ms, p99 {round.P99Ms:0.0} ms, max {round.MaxMs:0.0} ms");
        }

        await stopPinging.CancelAsync();
        await pinging;

        failures.AddRange(connected.Select(c => c.Failure).OfType<string>().Select(f => $"follow: {f}"));
        var gaps = connected.Sum(c => c.Gaps);
        progress.WriteLine($"[bench] {count} clients: closing");
        await Parallel.ForEachAsync(connected,
            new ParallelOptions { MaxDegreeOfParallelism = options.RampConcurrency, CancellationToken = ct }, async (client, token) =>
            {
                await client.CloseAsync(token);
                await client.DisposeAsync();
            });
        await WaitForHubToEmptyAsync(server, ct);
        var rssAfterClose = server.Rss();

        return new FanoutScenario(count, connected.Length, connectSeconds, rssBefore, rssConnected, rssAfterClose, heapBefore,
            metricsConnected.ManagedHeap, threads, scrapeMs, scrapeServerCpuMs, benchRss, rounds, gaps, failures);
    }

    private async Task<FanoutRound> RoundAsync(ServerProcess server, StaffSession staff, ShelterFollower[] clients, CancellationToken ct)
    {
        await _quiet.WaitAsync(ct);
        try
        {
            var following = clients.Where(c => c.Failure is null).ToArray();
            foreach (var client in clients) Volatile.Write(ref client.ReceivedAt, 0);
            var occupancy = ++_occupancy;
            var all = _watched.Arm(occupancy, following.Length);
            var before = await server.MetricsAsync(ct);
            var serverCpu = server.CpuSeconds();
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var machineBusy = MachineCpu.BusySeconds();

            var t0 = Stopwatch.GetTimestamp();
            await staff.SetShelterStatusAsync(Shelter, open: true, occupancy, ct);
            var committed = Stopwatch.GetElapsedTime(t0);
            try
            {
                await all.WaitAsync(options.DeliveryTimeout, ct);
            }
            catch (TimeoutException)
            {
                progress.WriteLine($"[bench] only {_watched.Arrivals}/{following.Length} had the change after {options.DeliveryTimeout.TotalSeconds:0} s");
            }

            var serverCpuUsed = server.CpuSeconds() - serverCpu;
            var benchCpuUsed = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
            var machineBusyUsed = MachineCpu.BusySeconds() - machineBusy;
            var after = await server.MetricsAsync(ct);

            var latencies = clients.Select(c => Volatile.Read(ref c.ReceivedAt)).Where(t => t != 0)
                .Select(t => Stopwatch.GetElapsedTime(t0, t).TotalMilliseconds).Order().ToArray();
            await Task.Delay(BetweenRounds, ct);
            return new FanoutRound(clients.Length, latencies.Length, latencies.Length == 0 ? double.NaN : latencies[0],
                Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length == 0 ? double.NaN : latencies[^1],
                committed.TotalMilliseconds, serverCpuUsed * 1000, benchCpuUsed.TotalMilliseconds,
                Math.Max(0, (machineBusyUsed - serverCpuUsed) * 1000 - benchCpuUsed.TotalMilliseconds),
                [.. after.Collections.Zip(before.Collections, (a, b) => a - b)]);
        }
        finally
        {
            _quiet.Release();
        }
    }

    /// <summary>The server drops a client that has sent nothing for 30 s (SignalR's ClientTimeoutInterval), so every client pings.</summary>
    private async Task KeepAliveAsync(Func<IEnumerable<ShelterFollower>> clients, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(PingEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await _quiet.WaitAsync(ct);
                try
                {
                    foreach (var client in clients())
                    {
                        try
                        {
                            await client.PingAsync(ct);
                        }
                        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException)
                        {
                            // The client's own receive loop records why it stopped.
                        }
                    }
                }
                finally
                {
                    _quiet.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task WaitForHubToEmptyAsync(ServerProcess server, CancellationToken ct)
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

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
