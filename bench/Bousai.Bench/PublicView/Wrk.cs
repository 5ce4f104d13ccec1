using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bousai.Bench.PublicView;

/// <summary>One wrk run as wrk reports it (with --latency): throughput, latency percentiles, bytes read and every error it counted.</summary>
public sealed record WrkRun(
    long Requests,
    double Seconds,
    double BytesRead,
    double RequestsPerSecond,
    double P50Ms,
    double P75Ms,
    double P90Ms,
    double P99Ms,
    long BadStatus,
    long ConnectErrors,
    long ReadErrors,
    long WriteErrors,
    long Timeouts)
{
    public double BytesPerResponse => Requests == 0 ? 0 : BytesRead / Requests;

    public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;

    /// <summary>
    /// Slices of one side measured in turns with the other: counts and bytes add up, requests/s is their total over the
    /// total time, and a percentile is the median of the slices' (wrk reports no histogram to merge).
    /// </summary>
    public static WrkRun Combine(IReadOnlyList<WrkRun> slices)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var requests = slices.Sum(s => s.Requests);
        var seconds = slices.Sum(s => s.Seconds);
        return new WrkRun(requests, seconds, slices.Sum(s => s.BytesRead), seconds > 0 ? requests / seconds : 0,
            Median(slices.Select(s => s.P50Ms)), Median(slices.Select(s => s.P75Ms)), Median(slices.Select(s => s.P90Ms)),
            Median(slices.Select(s => s.P99Ms)), slices.Sum(s => s.BadStatus), slices.Sum(s => s.ConnectErrors),
            slices.Sum(s => s.ReadErrors), slices.Sum(s => s.WriteErrors), slices.Sum(s => s.Timeouts));
    }
}

/// <summary>Runs wrk (https://github.com/wg/wrk) as a process and reads its text report.</summary>
public static partial class Wrk
{
    public static async Task<WrkRun> RunAsync(string wrk, Uri url, IReadOnlyList<(string Name, string Value)> headers,
        int threads, int connections, TimeSpan duration, CancellationToken ct)
    {
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--threads", threads.ToString(CultureInfo.InvariantCulture), "--connections",
                     connections.ToString(CultureInfo.InvariantCulture), "--duration",
                     $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s",
                     "--timeout", "5s", "--latency" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in headers)
        {
            start.ArgumentList.Add("--header");
            start.ArgumentList.Add($"{name}: {value}");
        }

        start.ArgumentList.Add(url.ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {wrk}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {(await stderr).Trim()} {output.Trim()}");
        }

        return Parse(output);
    }

    /// <summary>wrk's report: times as format_time_us (us, ms, s, m, h), sizes as format_binary (powers of 1024, two decimals).</summary>
    public static WrkRun Parse(string output)
    {
        var percentiles = PercentileLine().Matches(output)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => Milliseconds(m.Groups[2].Value, m.Groups[3].Value));
        var total = TotalLine().Match(output);
        var rate = RateLine().Match(output);
        if (!total.Success || !rate.Success || !percentiles.ContainsKey(50) || !percentiles.ContainsKey(99))
        {
            throw new FormatException($"unexpected wrk output:\n{output}");
        }

        var socket = SocketLine().Match(output);
        var bad = BadStatusLine().Match(output);
        long Count(Match m, int group) => m.Success ? long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkRun(
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(total.Groups[2].Value, total.Groups[3].Value) / 1000,
            Bytes(total.Groups[4].Value, total.Groups[5].Value),
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            percentiles[50],
            percentiles.GetValueOrDefault(75),
            percentiles.GetValueOrDefault(90),
            percentiles[99],
            Count(bad, 1),
            Count(socket, 1),
            Count(socket, 2),
            Count(socket, 3),
            Count(socket, 4));
    }

    private static double Milliseconds(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch
        {
            "us" => 0.001,
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => throw new FormatException($"unknown wrk time unit {unit}"),
        };

    private static double Bytes(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch
        {
            "B" => 1,
            "KB" => 1024,
            "MB" => 1024.0 * 1024,
            "GB" => 1024.0 * 1024 * 1024,
            "TB" => 1024.0 * 1024 * 1024 * 1024,
            _ => throw new FormatException($"unknown wrk size unit {unit}"),
        };

    [GeneratedRegex(@"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)(B|KB|MB|GB|TB) read")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex BadStatusLine();
}
