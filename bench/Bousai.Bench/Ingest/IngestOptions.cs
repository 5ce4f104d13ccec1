using System.Globalization;

namespace Bousai.Bench.Ingest;

/// <summary>mqtt://USER:PASSWORD@HOST:PORT, as sensors-sim takes it.</summary>
public sealed record BrokerAddress(string Host, int Port, string User, string Password)
{
    public static BrokerAddress Parse(string url)
    {
        var uri = new Uri(url);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        return new BrokerAddress(uri.Host, uri.Port, credentials[0], credentials.Length > 1 ? credentials[1] : "");
    }

    public override string ToString() => $"mqtt://{Uri.EscapeDataString(User)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}";
}

public sealed record IngestOptions(
    string Phase,
    string Label,
    Uri Server,
    int ServerPid,
    int PostmasterPid,
    int MosquittoPid,
    string Database,
    BrokerAddress Broker,
    string SimDll,
    string Results,
    int Stations,
    int Rate,
    int Batch,
    TimeSpan Duration,
    TimeSpan DrainTimeout,
    long BaselineRows,
    long SqlPathRows,
    int LatencyStations,
    int LatencyRate,
    TimeSpan LatencySeconds,
    string ServerSettings)
{
    public static IngestOptions? Parse(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        long Number(string name, long fallback) => Option(name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;
        if (Option("--phase") is not ("latency" or "load") || Option("--server") is not { } server || Option("--server-pid") is not { } serverPid
            || Option("--pg-pid") is not { } pgPid || Option("--mosquitto-pid") is not { } mosquittoPid || Option("--db") is not { } db
            || Option("--broker") is not { } broker || Option("--results") is not { } results)
        {
            return null;
        }

        var stations = (int)Number("--stations", 1_000);
        var rate = (int)Number("--rate", 25);
        var duration = (int)Number("--duration", 60);
        return new IngestOptions(
            Option("--phase")!,
            Option("--label") ?? "",
            new Uri(server),
            int.Parse(serverPid, CultureInfo.InvariantCulture),
            int.Parse(pgPid, CultureInfo.InvariantCulture),
            int.Parse(mosquittoPid, CultureInfo.InvariantCulture),
            db,
            BrokerAddress.Parse(broker),
            Option("--sim") ?? "",
            results,
            stations,
            rate,
            (int)Number("--batch", 1),
            TimeSpan.FromSeconds(duration),
            TimeSpan.FromSeconds(Number("--drain", 60)),
            Number("--baseline-rows", 0),
            Number("--sql-path-rows", 0),
            (int)Number("--latency-stations", 20),
            (int)Number("--latency-rate", 10),
            TimeSpan.FromSeconds(Number("--latency-seconds", 30)),
            Option("--server-settings") ?? "defaults");
    }
}
