using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MQTTnet;

namespace Bousai.Bench.Ingest;

/// <summary>
/// Sustained ingestion: sensors-sim's load mode publishes N stations × R readings/s (K per message) at QoS 1 to mosquitto
/// for D seconds while the server ingests; this samples the server's committed-readings counter, the CPU of every party
/// and PostgreSQL's waits, then waits (up to the drain limit) until every reading mosquitto acknowledged to the
/// publisher is in readings, and compares exact counts: readings stored for the load stations (a count in the database)
/// against readings_acknowledged (the simulator's final line).
/// </summary>
public sealed partial class LoadPhase(IngestOptions options, BenchDatabase database, Parties parties, HttpClient http, TextWriter progress)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);

    public async Task<LoadResult> RunAsync(CancellationToken ct)
    {
        await database.EnsureStationsAsync("load-", 5, options.Stations, ct);
        var storedBefore = await database.CountReadingsAsync("load-", ct);
        var deadBefore = await database.ScalarAsync("SELECT count(*) FROM dead_letters", ct);
        var eventsBefore = await database.ScalarAsync("SELECT last_seq FROM situation_event_sequence", ct);
        var statements = await database.ResetStatementStatsAsync(ct);
        var before = await IngestCounters.ReadAsync(http, ct);

        await using var brokerStore = await BrokerStoreWatch.StartAsync(options.Broker, ct);
        var samples = new List<IngestCounters>();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampling = SampleAsync(samples, stopSampling.Token);

        var arguments = new List<string>
        {
            options.SimDll, "--broker", options.Broker.ToString(), "--load-stations", options.Stations.ToString(CultureInfo.InvariantCulture),
            "--rate", options.Rate.ToString(CultureInfo.InvariantCulture), "--batch", options.Batch.ToString(CultureInfo.InvariantCulture),
            "--duration", options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--client-id", $"bousai-bench-load-{options.Batch}",
        };
        var info = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var sim = Process.Start(info) ?? throw new InvalidOperationException("could not start sensors-sim");
        parties.PublisherPid = sim.Id;
        var errors = sim.StandardError.ReadToEndAsync(ct);

        CpuReading? cpuStart = null;
        IngestCounters? countersStart = null;
        CpuReading? cpuEnd = null;
        IngestCounters? countersEnd = null;
        long startTimestamp = 0, endTimestamp = 0;
        Dictionary<string, string>? totals = null;
        string? tcpAtStop = null;
        using var stopWaits = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waits = Task.FromResult<WaitShare[]>([]);
        while (await sim.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("SYNTHETIC load:", StringComparison.Ordinal) && cpuStart is null)
            {
                // Printed just before the simulator starts its clock and publishes.
                startTimestamp = Stopwatch.GetTimestamp();
                cpuStart = parties.Read();
                countersStart = await IngestCounters.ReadAsync(http, ct);
                waits = database.SampleWaitsAsync(TimeSpan.FromMilliseconds(100), stopWaits.Token);
                progress.WriteLine($"[sim] {line}");
            }
            else if (line.StartsWith("totals ", StringComparison.Ordinal))
            {
                endTimestamp = Stopwatch.GetTimestamp();
                cpuEnd = parties.Read();
                countersEnd = await IngestCounters.ReadAsync(http, ct);
                await stopWaits.CancelAsync();
                tcpAtStop = await TcpView.BrokerToServerAsync(options.Broker.Port, options.MosquittoPid, options.ServerPid);
                totals = Totals().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                progress.WriteLine($"[sim] {line}");
            }
            else if (Progress().Match(line) is { Success: true } tick && int.Parse(tick.Groups[1].Value, CultureInfo.InvariantCulture) % 10 == 0)
            {
                progress.WriteLine($"[sim] {line}");
            }
        }

        await sim.WaitForExitAsync(ct);
        if (totals is null || cpuStart is null || cpuEnd is null || countersStart is null || countersEnd is null)
        {
            throw new InvalidOperationException($"sensors-sim ended (exit {sim.ExitCode}) without its totals line: {await errors}");
        }

        var waitShares = await waits;
        var statementTimes = statements ? await database.StatementTimesAsync(ct) : [];
        long Total(string key) => long.Parse(totals[key], CultureInfo.InvariantCulture);
        var acknowledged = Total("readings_acknowledged");
        var publishSeconds = double.Parse(totals["seconds"], CultureInfo.InvariantCulture);

        // Drain: until the server has committed every acknowledged reading, or the limit.
        var drainStart = Stopwatch.GetTimestamp();
        var drained = false;
        IngestCounters now;
        while (true)
        {
            now = await IngestCounters.ReadAsync(http, ct);
            if (now.Stored - before.Stored >= acknowledged)
            {
                drained = true;
                break;
            }

            if (Stopwatch.GetElapsedTime(drainStart) >= options.DrainTimeout) break;
            await Task.Delay(SampleEvery, ct);
        }

        var drainSeconds = Stopwatch.GetElapsedTime(endTimestamp).TotalSeconds;
        var cpuDrained = parties.Read();
        var queued = brokerStore.Count;
        var tcpAtEnd = drained ? null : await TcpView.BrokerToServerAsync(options.Broker.Port, options.MosquittoPid, options.ServerPid);
        await stopSampling.CancelAsync();
        await sampling;
        samples.Add(now);

        var storedTotal = await database.CountReadingsAsync("load-", ct) - storedBefore;
        var dead = await database.ScalarAsync("SELECT count(*) FROM dead_letters", ct) - deadBefore;
        var events = await database.ScalarAsync("SELECT last_seq FROM situation_event_sequence", ct) - eventsBefore;

        // The last moment the committed count grew, against the publisher's first message.
        var last = samples.First(s => s.Stored >= now.Stored);
        var firstToLast = Stopwatch.GetElapsedTime(startTimestamp, last.Timestamp).TotalSeconds;

        var perSecond = PerSecond(samples.Where(s => s.Timestamp >= startTimestamp).ToList(), startTimestamp);
        var bestTen = perSecond.Length < 10 ? 0 : Enumerable.Range(0, perSecond.Length - 9).Max(i => perSecond.Skip(i).Take(10).Sum() / 10);

        var result = new LoadResult(
            options.Stations, options.Rate, options.Batch, (int)options.Duration.TotalSeconds,
            Total("messages_published"), Total("messages_acknowledged"), Total("readings_published"), acknowledged, Total("messages_failed"),
            publishSeconds,
            countersEnd.Stored - before.Stored, storedTotal, now.Duplicates - before.Duplicates, dead, drained, drained ? drainSeconds : options.DrainTimeout.TotalSeconds,
            firstToLast, drained ? null : queued, bestTen,
            Parties.Between(cpuStart, cpuEnd), Parties.Between(cpuEnd, cpuDrained),
            IngestCounters.Between(countersStart, countersEnd), IngestCounters.Between(countersEnd, now),
            events, waitShares, statementTimes, perSecond, options.ServerSettings, tcpAtStop, tcpAtEnd);
        progress.WriteLine($"[bench] load K={options.Batch}: offered {result.OfferedRate:N0} readings/s, committed while publishing {result.CommittedWhilePublishingRate:N0}/s, " +
                           $"{(drained ? $"drained {result.DrainSeconds:0.0} s after the stop" : $"NOT drained after {options.DrainTimeout.TotalSeconds:0} s")}; " +
                           $"stored {storedTotal:N0} of {acknowledged:N0} acknowledged, {result.Duplicates} duplicates, {dead} dead letters");
        return result;
    }

    private async Task SampleAsync(List<IngestCounters> samples, CancellationToken stop)
    {
        using var ticker = new PeriodicTimer(SampleEvery);
        try
        {
            while (await ticker.WaitForNextTickAsync(stop))
            {
                var counters = await IngestCounters.ReadAsync(http, stop);
                lock (samples) samples.Add(counters);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Readings committed in each whole second since the publisher started (interpolated between samples).</summary>
    private static double[] PerSecond(List<IngestCounters> samples, long start)
    {
        if (samples.Count < 2) return [];
        double At(double second)
        {
            for (var i = 1; i < samples.Count; i++)
            {
                var t1 = Stopwatch.GetElapsedTime(start, samples[i].Timestamp).TotalSeconds;
                if (t1 < second) continue;
                var t0 = Stopwatch.GetElapsedTime(start, samples[i - 1].Timestamp).TotalSeconds;
                var f = t1 > t0 ? Math.Clamp((second - t0) / (t1 - t0), 0, 1) : 1;
                return samples[i - 1].Stored + f * (samples[i].Stored - samples[i - 1].Stored);
            }

            return samples[^1].Stored;
        }

        var seconds = (int)Stopwatch.GetElapsedTime(start, samples[^1].Timestamp).TotalSeconds;
        return [.. Enumerable.Range(0, seconds).Select(s => Math.Round(At(s + 1) - At(s)))];
    }

    [GeneratedRegex(@"(\w+)=([0-9.]+)")]
    private static partial Regex Totals();

    [GeneratedRegex(@"^SYNTHETIC load +(\d+) s:")]
    private static partial Regex Progress();
}

/// <summary>mosquitto's count of messages in its store ($SYS/broker/store/messages/count, every sys_interval): what it still holds for the server.</summary>
public sealed class BrokerStoreWatch : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private long _count = -1;

    private BrokerStoreWatch(IMqttClient client) => _client = client;

    public long? Count => Interlocked.Read(ref _count) is >= 0 and var count ? count : null;

    public static async Task<BrokerStoreWatch> StartAsync(BrokerAddress broker, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var watch = new BrokerStoreWatch(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (long.TryParse(e.ApplicationMessage.ConvertPayloadToString(), CultureInfo.InvariantCulture, out var count)) Interlocked.Exchange(ref watch._count, count);
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId("bousai-bench-sys")
            .WithCleanStart(true)
            .WithCredentials(broker.User, broker.Password)
            .Build(), ct);
        await client.SubscribeAsync("$SYS/broker/store/messages/count", cancellationToken: ct);
        return watch;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
