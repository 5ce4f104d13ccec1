using System.Globalization;
using Bousai.Bench.History;
using Bousai.Bench.Ingest;
using Bousai.Bench.LiveFanout;
using Bousai.Bench.PublicView;
using Bousai.Bench.Push;
using Microsoft.Playwright;

// Figures are written with invariant formatting (a decimal point, whatever the machine's locale).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Benchmarks against a running server (./bousai bench NAME starts one on a throwaway database and runs this).
return args.FirstOrDefault() switch
{
    "live-fanout" => await LiveFanoutAsync(args[1..]),
    "ingest" => await IngestAsync(args[1..]),
    "ingest-report" => IngestReportOf(args[1..]),
    "public" => await PublicViewAsync(args[1..]),
    "push" => await PushAsync(args[1..]),
    "history" => await HistoryAsync(args[1..]),
    "million" => await MillionAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Bousai.Bench live-fanout --server URL --server-pid PID --logins FILE [--user hq]
                 [--baseline 10] [--sizes 1000,5000,10000] [--events 5] [--ramp 200] [--report FILE]
          FILE: the tab-separated demo logins written by `Bousai.Server setup` (user, role, password)
               Bousai.Bench ingest --phase latency|load --label TEXT --server URL --server-pid PID --pg-pid PID --mosquitto-pid PID
                 --db CONNECTION-STRING --broker mqtt://USER:PASSWORD@HOST:PORT --results FILE.jsonl [--server-settings TEXT]
                 load:    --sim SENSORS-SIM.dll [--stations 1000] [--rate 25] [--batch 1] [--duration 60] [--drain 60]
                          [--baseline-rows N] [--sql-path-rows N]
                 latency: [--latency-stations 20] [--latency-rate 10] [--latency-seconds 30]
               Bousai.Bench ingest-report --results FILE.jsonl [--report FILE.md]
          one phase per server process (`./bousai bench ingest` runs them); each appends a JSON line, ingest-report renders them
               Bousai.Bench public --server URL --server-pid PID --work DIR [--nginx /usr/sbin/nginx] [--wrk /usr/bin/wrk]
                 [--html /public] [--json /public/shelters.json] [--floor /healthz|none] [--no-gzip]
                 [--threads 2] [--connections 64] [--duration 15] [--rounds 3] [--warmup 5] [--report FILE]
          DIR: where nginx's configuration, pid file, logs and the static copies go
               Bousai.Bench push --server URL --server-pid PID --pg-pid PID --db CONNECTION-STRING --logins FILE
                 --messages wwwroot/public-messages.json [--user hq] [--subscriptions 100000] [--district district-takahata]
                 [--read-every 1000] [--hub-clients 2000] [--events 10] [--ramp 200] [--stall 60] [--timeout 1800]
                 [--server-settings TEXT] [--report FILE]
          the server must accept loopback push services (Notifications__AllowLoopbackServices=true)
               Bousai.Bench history --server URL --db CONNECTION-STRING --logins FILE --fixtures DIR [--user hq] [--days 365]
                 [--gauge-minutes 10] [--storms 12] [--moments 200] [--checkpoint-every 1000] [--catch-up-timeout 1200] [--report FILE]
               Bousai.Bench million --server URL --db CONNECTION-STRING --logins FILE [--user hq] [--reports 1000000] [--requests 200] [--report FILE]
          DIR: the stored payload of each event kind (tests/Bousai.Server.Tests/Live/Fixtures/events)
        """);
    return 2;
}

static async Task<int> LiveFanoutAsync(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    if (Option("--server") is not { } server || Option("--server-pid") is not { } pid || Option("--logins") is not { } logins)
    {
        return Usage();
    }

    var user = Option("--user") ?? "hq";
    var password = File.ReadLines(logins).Select(l => l.Split('\t')).FirstOrDefault(f => f.Length == 3 && f[0] == user)?[2]
                   ?? throw new ArgumentException($"{logins} has no line for {user}");
    var options = new LiveFanoutOptions(
        new Uri(server),
        int.Parse(pid, CultureInfo.InvariantCulture),
        user,
        password,
        Number("--baseline", 10),
        (Option("--sizes") ?? "1000,5000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
        Number("--events", 5),
        Number("--ramp", 200),
        TimeSpan.FromSeconds(30));

    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };

    var scenarios = await new LiveFanoutBenchmark(options, Console.Error).RunAsync(interrupted.Token);
    var report = LiveFanoutReport.Render(scenarios, options);
    Console.Write(report);
    if (Option("--report") is { } file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await File.WriteAllTextAsync(file, report);
    }

    return scenarios.All(s => s.WorstDelivered == s.Clients && s.Gaps == 0) ? 0 : 1;
}

static async Task<int> IngestAsync(string[] args)
{
    if (IngestOptions.Parse(args) is not { } options) return Usage();
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    return await IngestBenchmark.RunAsync(options, Console.Error, interrupted.Token);
}

static async Task<int> PublicViewAsync(string[] args)
{
    if (PublicViewOptions.Parse(args) is not { } options) return Usage();
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };

    var results = await new PublicViewBenchmark(options, Console.Error).RunAsync(interrupted.Token);
    var report = PublicViewReport.Render(results, options);
    var chromium = Array.IndexOf(args, "--chromium") is var c and >= 0 && c + 1 < args.Length ? args[c + 1] : "/usr/bin/chromium";
    var painted = true;
    try
    {
        report += LargestPaint.Render(await LargestPaint.MeasureAsync(options.Server, chromium, runs: 5, Console.Error));
    }
    catch (Exception e) when (e is PlaywrightException or InvalidOperationException or TimeoutException)
    {
        // The wrk rows stand on their own: keep them, and say why the paint rows are missing.
        report += $"\n### Largest contentful paint on a slow 4G phone\n\nNot measured: {e.Message}\n";
        painted = false;
    }

    Console.Write(report);
    var file = Array.IndexOf(args, "--report") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    if (file is not null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await File.WriteAllTextAsync(file, report);
    }

    // Exit 1 when a row could not be measured or was rejected (a wrong response, wrk errors); a missed target is reported, not failed.
    return painted && results.Rows.All(r => r.Ratio is not null) ? 0 : 1;
}

static async Task<int> PushAsync(string[] args)
{
    if (PushFanoutOptions.Parse(args) is not { } options) return Usage();
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };

    PushFanoutResults results;
    try
    {
        results = await new PushFanoutBenchmark(options, Console.Error).RunAsync(interrupted.Token);
    }
    catch (PushStalledException e)
    {
        Console.Error.WriteLine($"[bench] FAILED: {e.Message}");
        return 1;
    }

    var report = PushFanoutReport.Render(results);
    Console.Write(report);
    if (options.Report is { } file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await File.WriteAllTextAsync(file, report);
    }

    // Exit 1 when a subscriber missed a notice or had one twice, a sample did not read as the notice, rows were left, or a live round lost clients.
    return results.Passed ? 0 : 1;
}

static async Task<int> HistoryAsync(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
    if (Option("--server") is not { } server || Option("--db") is not { } db || Option("--logins") is not { } logins
        || Option("--fixtures") is not { } fixtures)
    {
        return Usage();
    }

    var user = Option("--user") ?? "hq";
    var password = File.ReadLines(logins).Select(l => l.Split('\t')).FirstOrDefault(f => f.Length == 3 && f[0] == user)?[2]
                   ?? throw new ArgumentException($"{logins} has no line for {user}");
    var options = new HistoryOptions(new Uri(server), db, user, password, fixtures, Number("--days", 365), Number("--gauge-minutes", 10),
        Number("--storms", 12), Number("--moments", 200), Number("--checkpoint-every", 1000),
        TimeSpan.FromSeconds(Number("--catch-up-timeout", 1200)), Option("--report"));
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };

    // Exit 1 when a moment took 1 s or more, or answered with a position outside the year's events.
    return await new HistoryBenchmark(options, Console.Error).RunAsync(interrupted.Token);
}

static int IngestReportOf(string[] args)
{
    var results = Array.IndexOf(args, "--results") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var file = Array.IndexOf(args, "--report") is var j and >= 0 && j + 1 < args.Length ? args[j + 1] : null;
    if (results is null) return Usage();
    var phases = IngestBenchmark.ReadResults(results);
    var report = IngestReport.Render(phases);
    Console.Write(report);
    if (file is not null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file, report);
    }

    // Exit 1 when a load run lost readings (stored below acknowledged after catching up) or published with failures.
    return phases.Select(p => p.Load).OfType<LoadResult>().Any(l => l.MessagesFailed > 0 || l.DeadLetters > 0 || (l.Drained && l.StoredTotal != l.ReadingsAcknowledged)) ? 1 : 0;
}

static async Task<int> MillionAsync(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
    if (Option("--server") is not { } server || Option("--db") is not { } db || Option("--logins") is not { } logins) return Usage();
    var user = Option("--user") ?? "hq";
    var password = File.ReadLines(logins).Select(l => l.Split('\t')).FirstOrDefault(f => f.Length == 3 && f[0] == user)?[2]
                   ?? throw new ArgumentException($"{logins} has no line for {user}");
    using var interrupted = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Cancel();
    };
    var options = new Bousai.Bench.Million.MillionOptions(new Uri(server), db, user, password, Number("--reports", 1_000_000), Number("--requests", 200),
        Option("--report"));
    return await new Bousai.Bench.Million.MillionBenchmark(options, Console.Out).RunAsync(interrupted.Token);
}
