using System.Diagnostics;

namespace Bousai.Bench.LiveFanout;

/// <summary>
/// N residents following /hubs/public, connected once, and the rounds measured against them: HQ commits one shelter
/// change, and the round ends when every follower has it. Clients ping the server in turns with the rounds (never
/// during one). Both the live-fanout benchmark and the push benchmark (a round while a push fan-out is in flight) use it.
/// </summary>
public sealed class HubAudience
{
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BetweenRounds = TimeSpan.FromSeconds(1);

    private readonly ShelterRounds _rounds;
    private readonly ShelterFollower[] _clients;
    private readonly CancellationTokenSource _stopPinging;
    private readonly Task _pinging;
    private readonly List<string> _failures;

    private HubAudience(ShelterRounds rounds, ShelterFollower[] clients, double connectSeconds, List<string> failures,
        CancellationTokenSource stopPinging, Task pinging)
    {
        _rounds = rounds;
        _clients = clients;
        ConnectSeconds = connectSeconds;
        _failures = failures;
        _stopPinging = stopPinging;
        _pinging = pinging;
    }

    public int Connected => _clients.Length;

    public double ConnectSeconds { get; }

    /// <summary>Connects <paramref name="count"/> followers, <paramref name="rampConcurrency"/> at a time, each waiting for its snapshot.</summary>
    public static async Task<HubAudience> ConnectAsync(Uri server, ShelterRounds rounds, int count, int rampConcurrency, TextWriter progress,
        CancellationToken ct)
    {
        var hub = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/hubs/public" }.Uri;
        progress.WriteLine($"[bench] {count} clients: connecting ({rampConcurrency} at a time)");
        var clients = new ShelterFollower?[count];
        var failures = new List<string>();
        // Pinging starts with the first connection: connecting 10,000 can take longer than the server's 30 s timeout.
        var stopPinging = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pinging = KeepAliveAsync(rounds, () => clients.OfType<ShelterFollower>(), stopPinging.Token);

        var connecting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = rampConcurrency, CancellationToken = ct }, async (i, token) =>
            {
                var client = new ShelterFollower(rounds.Watched);
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
        return new HubAudience(rounds, connected, connectSeconds, failures, stopPinging, pinging);
    }

    /// <summary>One shelter change committed by <paramref name="staff"/>, and when each follower had it.</summary>
    public async Task<FanoutRound> RoundAsync(ServerProcess server, StaffSession staff, TimeSpan deliveryTimeout, TextWriter progress,
        CancellationToken ct)
    {
        await _rounds.Quiet.WaitAsync(ct);
        try
        {
            var following = _clients.Where(c => c.Failure is null).ToArray();
            foreach (var client in _clients) Volatile.Write(ref client.ReceivedAt, 0);
            var occupancy = _rounds.NextOccupancy();
            var all = _rounds.Watched.Arm(occupancy, following.Length);
            var before = await server.MetricsAsync(ct);
            var serverCpu = server.CpuSeconds();
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var machineBusy = MachineCpu.BusySeconds();

            var t0 = Stopwatch.GetTimestamp();
            await staff.SetShelterStatusAsync(_rounds.Watched.ShelterId, open: true, occupancy, ct);
            var committed = Stopwatch.GetElapsedTime(t0);
            try
            {
                await all.WaitAsync(deliveryTimeout, ct);
            }
            catch (TimeoutException)
            {
                progress.WriteLine($"[bench] only {_rounds.Watched.Arrivals}/{following.Length} had the change after {deliveryTimeout.TotalSeconds:0} s");
            }

            var serverCpuUsed = server.CpuSeconds() - serverCpu;
            var benchCpuUsed = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
            var machineBusyUsed = MachineCpu.BusySeconds() - machineBusy;
            var after = await server.MetricsAsync(ct);

            var latencies = _clients.Select(c => Volatile.Read(ref c.ReceivedAt)).Where(t => t != 0)
                .Select(t => Stopwatch.GetElapsedTime(t0, t).TotalMilliseconds).Order().ToArray();
            await Task.Delay(BetweenRounds, ct);
            return new FanoutRound(_clients.Length, latencies.Length, latencies.Length == 0 ? double.NaN : latencies[0],
                Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length == 0 ? double.NaN : latencies[^1],
                committed.TotalMilliseconds, serverCpuUsed * 1000, benchCpuUsed.TotalMilliseconds,
                Math.Max(0, (machineBusyUsed - serverCpuUsed) * 1000 - benchCpuUsed.TotalMilliseconds),
                [.. after.Collections.Zip(before.Collections, (a, b) => a - b)]);
        }
        finally
        {
            _rounds.Quiet.Release();
        }
    }

    /// <summary>Stops pinging and closes every follower politely; returns the lost ranges and why clients failed (connecting or following).</summary>
    public async Task<(int Gaps, IReadOnlyList<string> Failures)> CloseAsync(int rampConcurrency, TextWriter progress, CancellationToken ct)
    {
        await _stopPinging.CancelAsync();
        await _pinging;
        _stopPinging.Dispose();

        var failures = _failures.Concat(_clients.Select(c => c.Failure).OfType<string>().Select(f => $"follow: {f}")).ToList();
        var gaps = _clients.Sum(c => c.Gaps);
        progress.WriteLine($"[bench] {_clients.Length + _failures.Count} clients: closing");
        await Parallel.ForEachAsync(_clients,
            new ParallelOptions { MaxDegreeOfParallelism = rampConcurrency, CancellationToken = ct }, async (client, token) =>
            {
                await client.CloseAsync(token);
                await client.DisposeAsync();
            });
        return (gaps, failures);
    }

    /// <summary>The server drops a client that has sent nothing for 30 s (SignalR's ClientTimeoutInterval), so every client pings.</summary>
    private static async Task KeepAliveAsync(ShelterRounds rounds, Func<IEnumerable<ShelterFollower>> clients, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(PingEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await rounds.Quiet.WaitAsync(ct);
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
                    rounds.Quiet.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>
/// What every audience of a run shares: the watched shelter, a head count no earlier round used (the shelter keeps its
/// last one on the server), and the turn between measured rounds and pings, so a round never shares the CPU with
/// thousands of pings.
/// </summary>
public sealed class ShelterRounds(string shelterId)
{
    private int _occupancy;

    public WatchedChange Watched { get; } = new(shelterId);

    public SemaphoreSlim Quiet { get; } = new(1, 1);

    public int NextOccupancy() => Interlocked.Increment(ref _occupancy);
}
