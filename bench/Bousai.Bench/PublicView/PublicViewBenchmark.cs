using System.Globalization;

namespace Bousai.Bench.PublicView;

public sealed record PublicViewOptions(
    Uri Server,
    int ServerPid,
    string Nginx,
    string Wrk,
    string Work,
    string HtmlPath,
    string JsonPath,
    string? FloorPath,
    bool Gzip,
    int Threads,
    int Connections,
    TimeSpan Duration,
    TimeSpan WarmUp,
    int Rounds)
{
    public static PublicViewOptions? Parse(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        if (Option("--server") is not { } server || Option("--server-pid") is not { } pid || Option("--work") is not { } work)
        {
            return null;
        }

        return new PublicViewOptions(
            new Uri(server),
            int.Parse(pid, CultureInfo.InvariantCulture),
            Option("--nginx") ?? "/usr/sbin/nginx",
            Option("--wrk") ?? "/usr/bin/wrk",
            Path.GetFullPath(work),
            Option("--html") ?? "/public",
            Option("--json") ?? "/public/shelters.json",
            Option("--floor") is "none" ? null : Option("--floor") ?? "/healthz",
            !args.Contains("--no-gzip"),
            Number("--threads", 2),
            Number("--connections", 64),
            TimeSpan.FromSeconds(Number("--duration", 15)),
            TimeSpan.FromSeconds(Number("--warmup", 5)),
            Math.Max(1, Number("--rounds", 3)));
    }
}

/// <summary>What one side of a row is asked: the URL, the headers (wrk sends exactly these) and the response it must give.</summary>
/// <summary>
/// ETag: the validator of Body when it was fetched. A resource that changes by itself (the public page's ETag and text
/// follow the minute) is accepted with another ETag and a body of about the same size; its 304 turns revalidate with
/// the ETag current at the turn's start, and a turn during which it changed is measured again.
/// </summary>
public sealed record RowSide(Uri Url, IReadOnlyList<(string Name, string Value)> Headers, int Status, byte[]? Body, string? Encoding,
    string? ETag = null);

/// <summary>One side measured: the response checked before wrk ran, wrk's figures, and the CPU its process used in the run.</summary>
public sealed record SideResult(string? Failure, WireResponse? Checked, WrkRun? Run, double CpuMicrosecondsPerRequest)
{
    public bool Measured => Failure is null && Run is not null;
}

public sealed record RowResult(string Name, bool Target, SideResult Server, SideResult Nginx)
{
    public double? Ratio => Server.Measured && Nginx.Measured ? Server.Run!.RequestsPerSecond / Nginx.Run!.RequestsPerSecond : null;
}

public sealed record PublicViewResults(
    IReadOnlyList<RowResult> Rows,
    IReadOnlyDictionary<string, int> Sizes,
    string LoadBefore,
    string LoadAfter);

/// <summary>
/// Issue 13: residents opening the public view at once. wrk on loopback against the server's public HTML and shelters
/// JSON, and against nginx serving the same bytes (fetched from the server in this run) as static files; 304
/// revalidations with each side's own ETag; the same request headers on both sides. A row is measured only after its
/// response was checked (status, body), and fails when wrk counted errors or read responses of another size, so a
/// broken endpoint cannot produce a fast wrong figure.
/// </summary>
public sealed class PublicViewBenchmark(PublicViewOptions options, TextWriter progress)
{
    public const double Target = 0.5;

    private static readonly (string, string) Identity = ("Accept-Encoding", "identity");
    private static readonly (string, string) Gzip = ("Accept-Encoding", "gzip");

    public async Task<PublicViewResults> RunAsync(CancellationToken ct)
    {
        var loadBefore = (await File.ReadAllTextAsync("/proc/loadavg", ct)).Trim();
        var resources = new List<(string Name, string Path, bool Target)>
        {
            ("HTML", options.HtmlPath, true),
            ("JSON", options.JsonPath, true),
        };
        if (options.FloorPath is { } floor) resources.Add(("floor", floor, false));

        // The bytes the server sends now, identity and gzip: nginx serves exactly these.
        var fetched = new List<(string Name, string Path, bool Target, WireResponse Plain, WireResponse? Gzipped)>();
        var failedFetch = new List<RowResult>();
        foreach (var (name, path, target) in resources)
        {
            var plain = await WireResponse.GetAsync(new Uri(options.Server, path), [Identity], ct);
            if (plain.Status != 200)
            {
                var failure = new SideResult($"GET {path} answered {plain.Status}, not 200", plain, null, 0);
                failedFetch.Add(new RowResult($"{name} {path} 200", target, failure, new SideResult("not run: nothing to serve", null, null, 0)));
                continue;
            }

            var gzipped = await WireResponse.GetAsync(new Uri(options.Server, path), [Gzip], ct);
            fetched.Add((name, path, target, plain, gzipped.Status == 200 && gzipped.Header("content-encoding") == "gzip" ? gzipped : null));
            progress.WriteLine($"[bench] {path}: {plain.Body.Length:N0} bytes, {plain.Header("content-type")}, ETag {plain.Header("etag") ?? "none"}" +
                               (gzipped.Header("content-encoding") == "gzip" ? $", gzip {gzipped.Body.Length:N0} bytes" : ", no gzip variant"));
        }

        var files = fetched.Select(f => new StaticFile(f.Path, f.Plain.Header("content-type") ?? "application/octet-stream", f.Plain.Body,
            options.Gzip ? f.Gzipped?.Body : null, f.Plain.Headers.Select(h => (h.Key, h.Value)).ToList())).ToList();
        await using var nginx = await NginxOrigin.StartAsync(options.Nginx, Path.Combine(options.Work, "nginx"), files, ct);
        progress.WriteLine($"[bench] nginx (pid {nginx.MasterPid}) on {nginx.Root}, files in {Path.Combine(options.Work, "nginx", "www")}");

        // The server's code is still in its first JIT tier after start-up: without this the first row measures the JIT.
        progress.WriteLine($"[bench] warming the server up: {options.WarmUp.TotalSeconds:0} s on each URL, identity and gzip");
        foreach (var f in fetched)
        {
            foreach (var encoding in new[] { Identity, Gzip })
            {
                await Wrk.RunAsync(options.Wrk, new Uri(options.Server, f.Path), [encoding], options.Threads, options.Connections, options.WarmUp, ct);
            }
        }

        var rows = new List<RowResult>(failedFetch);
        foreach (var f in fetched)
        {
            var server = new Uri(options.Server, f.Path);
            var baseline = new Uri(nginx.Root, f.Path);
            rows.Add(await RowAsync($"{f.Name} {f.Path} 200", f.Target,
                new RowSide(server, [Identity], 200, f.Plain.Body, null, f.Plain.Header("etag")),
                new RowSide(baseline, [Identity], 200, f.Plain.Body, null), nginx, ct));

            var nginxTag = (await WireResponse.GetAsync(baseline, [Identity], ct)).Header("etag");
            if (f.Plain.Header("etag") is { } serverTag && nginxTag is not null)
            {
                rows.Add(await RowAsync($"{f.Name} {f.Path} 304 (If-None-Match)", f.Target,
                    new RowSide(server, [Identity, ("If-None-Match", serverTag)], 304, null, null, serverTag),
                    new RowSide(baseline, [Identity, ("If-None-Match", nginxTag)], 304, null, null), nginx, ct));
            }
            else if (f.Target)
            {
                rows.Add(new RowResult($"{f.Name} {f.Path} 304 (If-None-Match)", true,
                    new SideResult(f.Plain.Header("etag") is null ? "the server sent no ETag" : "not run", null, null, 0),
                    new SideResult(nginxTag is null ? "nginx sent no ETag" : "not run", null, null, 0)));
            }

            if (options.Gzip && f.Target)
            {
                rows.Add(f.Gzipped is null
                    ? new RowResult($"{f.Name} {f.Path} 200 gzip", false,
                        new SideResult("the server sent no gzip variant for Accept-Encoding: gzip", null, null, 0), new SideResult("not run", null, null, 0))
                    : await RowAsync($"{f.Name} {f.Path} 200 gzip", false,
                        new RowSide(server, [Gzip], 200, f.Plain.Body, "gzip", f.Plain.Header("etag")),
                        new RowSide(baseline, [Gzip], 200, f.Plain.Body, "gzip"), nginx, ct));
            }
        }

        var loadAfter = (await File.ReadAllTextAsync("/proc/loadavg", ct)).Trim();
        return new PublicViewResults(rows, fetched.ToDictionary(f => f.Path, f => f.Plain.Body.Length), loadBefore, loadAfter);
    }

    private async Task<RowResult> RowAsync(string name, bool target, RowSide serverAsk, RowSide nginxAsk, NginxOrigin nginx, CancellationToken ct)
    {
        var server = new Side("server", serverAsk, () => ServerProcess.CpuSecondsOf($"/proc/{options.ServerPid}/stat"));
        var baseline = new Side("nginx", nginxAsk, nginx.CpuSeconds);
        Side[] sides = [server, baseline];
        foreach (var side in sides)
        {
            await side.RevalidateWithCurrentAsync(ct);
            side.Checked = await WireResponse.GetAsync(side.Ask.Url, side.Ask.Headers, ct);
            side.Failure = Wrong(side.Checked, side.Ask);
        }

        if (sides.Any(s => s.Failure is not null))
        {
            foreach (var side in sides) side.Failure ??= "not run: the other side's response was wrong";
        }
        else
        {
            progress.WriteLine($"[bench] {name}: warm-up {options.WarmUp.TotalSeconds:0} s each, then {options.Rounds} turns of " +
                               $"{Slice.TotalSeconds:0.#} s each, alternating (server first, then nginx first, ...)");
            foreach (var side in sides) await Wrk.RunAsync(options.Wrk, side.Ask.Url, side.Ask.Headers, options.Threads, options.Connections, options.WarmUp, ct);
            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var side in round % 2 == 0 ? sides : sides.Reverse())
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        var tagBefore = await side.RevalidateWithCurrentAsync(ct);

                        var cpuBefore = side.Cpu();
                        var turn = await Wrk.RunAsync(options.Wrk, side.Ask.Url, side.Ask.Headers, options.Threads, options.Connections, Slice, ct);
                        var cpu = side.Cpu() - cpuBefore;
                        var tagAfter = await CurrentTagAsync(side.Ask, ct);
                        if (tagAfter == tagBefore || attempt == 3)
                        {
                            side.Slices.Add(turn);
                            side.CpuSeconds += cpu;
                            break;
                        }

                        progress.WriteLine($"[bench] {name}, {side.Name}: the resource changed during the turn ({tagBefore} → {tagAfter}); measuring it again");
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                }
            }

            foreach (var side in sides)
            {
                var run = WrkRun.Combine(side.Slices);
                if (run.BadStatus > 0) side.Failure = $"wrk counted {run.BadStatus:N0} responses with a status of 400 or more";
                else if (run.SocketErrors > 0)
                {
                    side.Failure = $"wrk counted socket errors: connect {run.ConnectErrors}, read {run.ReadErrors}, write {run.WriteErrors}, timeout {run.Timeouts}";
                }
                else if (Math.Abs(run.BytesPerResponse - side.Checked!.WireBytes) > side.Checked.WireBytes * 0.03 + 8)
                {
                    // wrk prints its byte total to two decimals of a power of 1024: 3 % covers that rounding, not another response.
                    side.Failure = $"wrk read {run.BytesPerResponse:0} bytes a response, the checked response has {side.Checked.WireBytes}: not the response checked";
                }

                // Still right after the load: nothing changed the data or broke the endpoint under it.
                side.Failure ??= Wrong(await WireResponse.GetAsync(side.Ask.Url, side.Ask.Headers, ct), side.Ask) is { } later ? $"after the run: {later}" : null;
            }
        }

        var row = new RowResult(name, target, server.Result(), baseline.Result());
        progress.WriteLine($"[bench] {name}: server {Describe(row.Server)}, nginx {Describe(row.Nginx)}" +
                           (row.Ratio is { } ratio ? $", server/nginx {ratio:0.00}" : ""));
        return row;
    }

    private TimeSpan Slice => options.Duration / options.Rounds;

    private sealed class Side(string name, RowSide ask, Func<double> cpu)
    {
        public string Name { get; } = name;
        public RowSide Ask { get; set; } = ask;
        public Func<double> Cpu { get; } = cpu;
        public WireResponse? Checked { get; set; }
        public string? Failure { get; set; }
        public List<WrkRun> Slices { get; } = [];
        public double CpuSeconds { get; set; }

        /// <summary>The resource's ETag now; a 304 side then revalidates with it.</summary>
        public async Task<string?> RevalidateWithCurrentAsync(CancellationToken ct)
        {
            var tag = await CurrentTagAsync(Ask, ct);
            if (Ask.Status == 304 && tag is not null && tag != Ask.ETag)
            {
                Ask = Ask with { Headers = Ask.Headers.Select(h => h.Name == "If-None-Match" ? (h.Name, tag) : h).ToList(), ETag = tag };
            }

            return tag;
        }

        public SideResult Result()
        {
            var run = Slices.Count > 0 ? WrkRun.Combine(Slices) : null;
            return new SideResult(Failure, Checked, run, run is { Requests: > 0 } ? CpuSeconds * 1e6 / run.Requests : 0);
        }
    }

    private static string? Wrong(WireResponse response, RowSide ask)
    {
        if (response.Status != ask.Status) return $"answered {response.Status}, expected {ask.Status}";
        if (response.Header("content-encoding") != ask.Encoding)
        {
            return $"Content-Encoding {response.Header("content-encoding") ?? "none"}, expected {ask.Encoding ?? "none"}";
        }

        if (ask.Body is null) return response.Body.Length == 0 ? null : $"a {response.Status} with a {response.Body.Length}-byte body";
        var decoded = response.Decoded();
        if (decoded.AsSpan().SequenceEqual(ask.Body)) return null;
        // A later version of the same resource (another ETag) may differ in a few bytes: the time on the page.
        var later = ask.ETag is not null && response.Header("etag") is { } tag && tag != ask.ETag;
        return later && Math.Abs(decoded.Length - ask.Body.Length) <= ask.Body.Length * 0.05
            ? null
            : $"a body of {decoded.Length:N0} bytes, not the {ask.Body.Length:N0} bytes fetched at the start{(later ? " (nor a later version of about its size)" : "")}";
    }

    /// <summary>The resource's ETag now (null for nginx's side and for resources without one: they do not change).</summary>
    private static async Task<string?> CurrentTagAsync(RowSide ask, CancellationToken ct) =>
        ask.ETag is null ? null : (await WireResponse.GetAsync(ask.Url, [Identity], ct)).Header("etag");


    private static string Describe(SideResult side) =>
        side.Failure is not null || side.Run is null ? $"FAILED ({side.Failure})" : $"{side.Run.RequestsPerSecond:N0} req/s, p50 {side.Run.P50Ms:0.00} ms, p99 {side.Run.P99Ms:0.00} ms";
}
