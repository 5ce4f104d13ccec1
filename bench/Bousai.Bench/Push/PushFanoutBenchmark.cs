using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Bousai.Bench.Ingest;
using Bousai.Bench.LiveFanout;
using Bousai.Testing.Push;
using Npgsql;

namespace Bousai.Bench.Push;

/// <summary>A fan-out that did not finish: how far it got, for the failure message.</summary>
public sealed class PushStalledException(string message) : Exception(message);

/// <summary>CPU time used so far, in seconds, by each party sharing the machine.</summary>
public sealed record CpuTimes(double Server, double PostgreSql, double Bench, double Machine)
{
    public static CpuTimes Read(int serverPid, int postmasterPid) => new(
        ServerProcess.CpuSecondsOf($"/proc/{serverPid}/stat"), PostgreSqlCpu.Seconds(postmasterPid),
        ServerProcess.CpuSecondsOf("/proc/self/stat"), MachineCpu.BusySeconds());

    public CpuTimes Since(CpuTimes start) => new(Server - start.Server, PostgreSql - start.PostgreSql, Bench - start.Bench, Machine - start.Machine);

    /// <summary>The rest of the machine's busy time: other users of the shared cores.</summary>
    public double Other => Math.Max(0, Machine - Server - PostgreSql - Bench);
}

/// <summary>A round of the live fan-out during a push fan-out: whether the push fan-out was still in flight when the round began.</summary>
public sealed record RoundDuringPush(FanoutRound Round, double StartedSeconds, bool InFlight);

/// <summary>One level change fanned out to every subscription, as the bench saw it from the HQ PUT to the last message.</summary>
public sealed record PushFanout(
    string Label,
    string Kind,
    int Level,
    long NoticeId,
    DateTimeOffset Sent,
    DateTimeOffset Answered,
    double AllTakenSeconds,
    double DrainedSeconds,
    CpuTimes Cpu,
    long RssBefore,
    long RssAfter,
    IReadOnlyList<RoundDuringPush> Rounds,
    IReadOnlyList<StatementTime> Statements)
{
    public double AnswerMs => (Answered - Sent).TotalMilliseconds;

    /// <summary>Filled in once every fan-out is over (the messages are split between notices by the times their PUTs were sent).</summary>
    public FanoutDelivery Delivery { get; init; } = null!;

    public double SecondsAfterAnswer(DateTimeOffset? at) => at is { } t ? (t - Answered).TotalSeconds : double.NaN;
}

public sealed record PushFanoutResults(
    PushFanoutOptions Options,
    double CopySeconds,
    (string Ja, string En) DistrictNames,
    int HubRequested,
    int HubConnected,
    double HubConnectSeconds,
    IReadOnlyList<FanoutRound> BaselineRounds,
    IReadOnlyList<PushFanout> Fanouts,
    int HubGaps,
    IReadOnlyList<string> HubFailures,
    IReadOnlyList<string> Refusals,
    long DeliveriesLeft,
    long SubscriptionsLeft,
    IReadOnlyDictionary<string, double> SenderOutcomes,
    long ServerPeakRss)
{
    public bool Passed => Refusals.Count == 0 && DeliveriesLeft == 0 && SubscriptionsLeft == Options.Subscriptions
                          && HubConnected == HubRequested && HubGaps == 0 && HubFailures.Count == 0
                          && Fanouts.All(f => f.Delivery.Exact && f.Delivery.SamplesRight)
                          && BaselineRounds.Concat(Fanouts.SelectMany(f => f.Rounds.Select(r => r.Round))).All(r => r.Delivered == r.Expected);
}

/// <summary>
/// Issue 14: HQ issues a district's 警戒レベル and every one of N Web Push subscriptions of that district gets it, from the
/// server's outbox through its sender to a push service played on loopback (VAPID checked and the payload decrypted
/// for a sample). Two fan-outs: the first alone (level 4 issued), the second (raised to 5) while rounds of the live
/// fan-out run against hub clients that are connected throughout, whose rounds without push work are the baseline.
/// </summary>
public sealed class PushFanoutBenchmark(PushFanoutOptions options, TextWriter progress)
{
    private static readonly TimeSpan LiveDeliveryTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public async Task<PushFanoutResults> RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(30) };
        var server = new ServerProcess(options.ServerPid, http);
        await using var dataSource = NpgsqlDataSource.Create(options.Database);
        var database = new PushDatabase(dataSource);
        // pg_stat_statements when the cluster preloads it (`./bousai bench push` does): time per statement of the sender.
        var statements = new BenchDatabase(dataSource);
        var topic = $"district:{options.District}";
        var names = await database.DistrictNamesAsync(options.District, ct);
        if (await database.SubscriptionsOnAsync(topic, ct) is > 0 and var existing)
        {
            throw new InvalidOperationException($"The database already has {existing} subscriptions on {topic}: the benchmark needs a fresh one.");
        }

        if (await database.LevelOfAsync(options.District, ct) is not 0 and var level)
        {
            throw new InvalidOperationException($"{options.District} is at level {level}: the benchmark issues 4 and raises to 5, from none.");
        }

        var wording = ExpectedNotice.Read(options.PublicMessages);
        await using var push = await LoopbackPushService.StartAsync(options.EffectiveReadEvery);
        push.ServerKey = (await http.GetFromJsonAsync<JsonElement>("/public/notifications/key", ct)).GetProperty("publicKey").GetString();
        // One key pair for every subscriber: the server encrypts each message anew either way (its own ephemeral key and salt).
        var keys = PushSubscriberKeys.Create();
        for (var i = 0; i < options.Subscriptions; i++) push.Subscribe(PushDatabase.SubscriberName(i), keys);
        progress.WriteLine($"[bench] {options.Subscriptions:N0} subscriptions on {topic}: writing them with COPY");
        var copySeconds = await database.InsertSubscriptionsAsync(push, keys, options.Subscriptions, topic, ct);
        progress.WriteLine($"[bench] written and analysed in {copySeconds:0.0} s; push service on {push.BaseAddress}, one message in {options.EffectiveReadEvery} read");

        using var staff = await StaffSession.SignInAsync(options.Server, options.UserName, options.Password, ct);
        var audience = await HubAudience.ConnectAsync(options.Server, new ShelterRounds(LiveFanoutBenchmark.Shelter), options.HubClients,
            options.RampConcurrency, progress, ct);
        var baseline = new List<FanoutRound>();
        var fanouts = new List<PushFanout>();
        int gaps;
        IReadOnlyList<string> failures;
        try
        {
            for (var i = 0; i < LiveFanoutBenchmark.WarmUpRounds; i++) await audience.RoundAsync(server, staff, LiveDeliveryTimeout, progress, ct);
            for (var i = 0; i < options.Events; i++)
            {
                baseline.Add(await audience.RoundAsync(server, staff, LiveDeliveryTimeout, progress, ct));
                progress.WriteLine($"[bench] live round {i + 1}/{options.Events} without push work: p50 {baseline[^1].P50Ms:0.0} ms, p99 {baseline[^1].P99Ms:0.0} ms");
            }

            var alone = await FanOutAsync(server, staff, push, statements, database, audience: null, "alone (hub clients idle)", "levelIssued", 4, 1, null, ct);
            fanouts.Add(alone);
            fanouts.Add(await FanOutAsync(server, staff, push, statements, database, audience, "with live rounds", "levelRaised", 5, 2,
                TimeSpan.FromSeconds(alone.AllTakenSeconds), ct));
        }
        finally
        {
            (gaps, failures) = await audience.CloseAsync(options.RampConcurrency, progress, CancellationToken.None);
        }

        // Split the messages between the notices by when each PUT was sent: the first notice was wholly recorded as
        // delivered (push_deliveries empty) before the second PUT, so anything later is the second's (a repeat of
        // the first would show as a subscriber counted twice there).
        var received = push.Received;
        for (var i = 0; i < fanouts.Count; i++)
        {
            var from = fanouts[i].Sent;
            var until = i + 1 < fanouts.Count ? fanouts[i + 1].Sent : DateTimeOffset.MaxValue;
            var expected = new Dictionary<string, IReadOnlyDictionary<string, object>>
            {
                ["ja"] = wording.LevelNotice(fanouts[i].Kind, fanouts[i].Level, options.District, names.Ja, "ja"),
                ["en"] = wording.LevelNotice(fanouts[i].Kind, fanouts[i].Level, options.District, names.En, "en"),
            };
            fanouts[i] = fanouts[i] with
            {
                Delivery = FanoutDelivery.Of([.. received.Where(m => m.At >= from && m.At < until)], options.Subscriptions, expected, fanouts[i].NoticeId),
            };
        }

        var outcomes = await SenderOutcomesAsync(http, ct);
        return new PushFanoutResults(options, copySeconds, names, options.HubClients, audience.Connected, audience.ConnectSeconds, baseline, fanouts, gaps, failures,
            push.Refusals, await database.DeliveriesLeftAsync(ct), await database.SubscriptionsOnAsync(topic, ct), outcomes, server.PeakRss());
    }

    /// <summary>
    /// One PUT of the district's level, then the wait until the push service has taken one message per subscription
    /// and the server has recorded them all (push_deliveries empty). With an audience, live rounds are spread over
    /// <paramref name="expectedDuration"/> (the first fan-out's), so they sample the whole fan-out.
    /// </summary>
    private async Task<PushFanout> FanOutAsync(ServerProcess server, StaffSession staff, LoopbackPushService push, BenchDatabase statements,
        PushDatabase database, HubAudience? audience, string label, string kind, int level, int ordinal, TimeSpan? expectedDuration, CancellationToken ct)
    {
        var target = (long)options.Subscriptions * ordinal;
        var takenBefore = push.Taken;
        if (takenBefore != target - options.Subscriptions)
        {
            throw new InvalidOperationException($"The push service took {takenBefore:N0} messages before fan-out {ordinal}, not {target - options.Subscriptions:N0}.");
        }

        var lastNotice = await database.LastNoticeIdAsync(ct);
        var measuringStatements = await statements.ResetStatementStatsAsync(ct);
        var rssBefore = server.Rss();
        progress.WriteLine($"[bench] fan-out {ordinal} ({label}): HQ issues level {level} for {options.District}");
        var cpuStart = CpuTimes.Read(options.ServerPid, options.PostmasterPid);
        var clock = Stopwatch.StartNew();
        var sent = DateTimeOffset.UtcNow;
        await staff.IssueEvacuationLevelAsync(options.District, level, $"負荷試験 (benchmark): {options.Subscriptions:N0} subscriptions", ct);
        var answered = DateTimeOffset.UtcNow;
        var answeredAt = clock.Elapsed;

        using var stopRounds = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var rounds = audience is null
            ? Task.FromResult<IReadOnlyList<RoundDuringPush>>([])
            : RoundsDuringAsync(server, staff, audience, push, target, clock, answeredAt, expectedDuration!.Value, stopRounds.Token);

        double allTaken;
        try
        {
            allTaken = (await WaitForMessagesAsync(push, database, target, options.Subscriptions, clock, ct) - answeredAt).TotalSeconds;
        }
        catch
        {
            await stopRounds.CancelAsync();
            await rounds.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        var cpu = CpuTimes.Read(options.ServerPid, options.PostmasterPid).Since(cpuStart);
        var drained = await WaitForDrainAsync(database, clock, ct) - answeredAt;
        var roundsDone = await rounds;
        await Task.Delay(Settle, ct);
        var notice = await database.NoticeAsync($"district:{options.District}", lastNotice, ct)
                     ?? throw new InvalidOperationException($"No push notice was written for {options.District} by the level change.");
        progress.WriteLine($"[bench] fan-out {ordinal}: all {options.Subscriptions:N0} taken {allTaken:0.0} s after the PUT's answer, " +
                           $"push_deliveries empty after {drained.TotalSeconds:0.0} s; server CPU {cpu.Server:0.0} s, PostgreSQL {cpu.PostgreSql:0.0} s, bench {cpu.Bench:0.0} s");
        return new PushFanout(label, kind, level, notice.Id, sent, answered, allTaken, drained.TotalSeconds, cpu, rssBefore, server.Rss(), roundsDone,
            measuringStatements ? await statements.StatementTimesAsync(ct) : []);
    }

    /// <summary>Returns when the push service has taken <paramref name="target"/> messages; throws when none came for options.Stall, or past options.Timeout.</summary>
    private async Task<TimeSpan> WaitForMessagesAsync(LoopbackPushService push, PushDatabase database, long target, int subscriptions, Stopwatch clock,
        CancellationToken ct)
    {
        var firstOfPhase = target - subscriptions;
        var lastCount = push.Taken;
        var lastProgress = clock.Elapsed;
        var lastReport = clock.Elapsed;
        while (true)
        {
            var taken = push.Taken;
            var now = clock.Elapsed;
            if (taken >= target) return now;
            if (taken != lastCount)
            {
                lastCount = taken;
                lastProgress = now;
            }

            if (now - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = now;
                progress.WriteLine($"[bench]   {taken - firstOfPhase:N0}/{subscriptions:N0} taken after {now.TotalSeconds:0} s");
            }

            var stalled = now - lastProgress >= options.Stall;
            if (stalled || now >= options.Timeout)
            {
                throw new PushStalledException(
                    $"Push delivery {(stalled ? $"stalled: no message for {options.Stall.TotalSeconds:0} s" : $"timed out after {options.Timeout.TotalSeconds:0} s")}; " +
                    $"{taken - firstOfPhase:N0} of {subscriptions:N0} delivered {now.TotalSeconds:0} s after the PUT. " +
                    $"push_deliveries holds {await database.DeliveriesLeftAsync(ct):N0} rows ({await database.DeliveriesLeftByStateAsync(ct)}); " +
                    $"push service refusals: {push.Refusals.Count}{(push.Refusals.Count > 0 ? $" (first: {push.Refusals[0]})" : "")}.");
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>The sender deletes a delivery once the push service has taken it: waits until none is left (or gives up after a minute and says so).</summary>
    private async Task<TimeSpan> WaitForDrainAsync(PushDatabase database, Stopwatch clock, CancellationToken ct)
    {
        var start = clock.Elapsed;
        while (await database.DeliveriesLeftAsync(ct) is var left and > 0)
        {
            if (clock.Elapsed - start > DrainTimeout)
            {
                progress.WriteLine($"[bench] every message was taken, but push_deliveries still holds {left:N0} rows after {DrainTimeout.TotalSeconds:0} s " +
                                   $"({await database.DeliveriesLeftByStateAsync(ct)})");
                break;
            }

            await Task.Delay(100, ct);
        }

        return clock.Elapsed;
    }

    /// <summary>options.Events live rounds spread evenly over the expected fan-out from 5 % of it, each marked in flight when it began before the last message.</summary>
    private async Task<IReadOnlyList<RoundDuringPush>> RoundsDuringAsync(ServerProcess server, StaffSession staff, HubAudience audience,
        LoopbackPushService push, long target, Stopwatch clock, TimeSpan answeredAt, TimeSpan expectedDuration, CancellationToken ct)
    {
        var rounds = new List<RoundDuringPush>();
        try
        {
            for (var i = 0; i < options.Events; i++)
            {
                var due = answeredAt + expectedDuration * (0.05 + 0.9 * i / options.Events);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, ct);
                var started = (clock.Elapsed - answeredAt).TotalSeconds;
                var inFlight = push.Taken < target;
                var round = await audience.RoundAsync(server, staff, LiveDeliveryTimeout, progress, ct);
                rounds.Add(new RoundDuringPush(round, started, inFlight));
                progress.WriteLine($"[bench] live round {i + 1}/{options.Events} at {started:0.0} s of the fan-out{(inFlight ? "" : " (after it was over)")}: " +
                                   $"p50 {round.P50Ms:0.0} ms, p99 {round.P99Ms:0.0} ms");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        return rounds;
    }

    /// <summary>The sender's own counter of outcomes (bousai_push_deliveries_total), as /metrics has it.</summary>
    private static async Task<IReadOnlyDictionary<string, double>> SenderOutcomesAsync(HttpClient http, CancellationToken ct)
    {
        var outcomes = new SortedDictionary<string, double>();
        foreach (var line in (await http.GetStringAsync("/metrics", ct)).Split('\n'))
        {
            const string Prefix = "bousai_push_deliveries_total{outcome=\"";
            if (!line.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var end = line.IndexOf('"', Prefix.Length);
            outcomes[line[Prefix.Length..end]] = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return outcomes;
    }
}
