using System.Globalization;

namespace Bousai.Bench.Push;

public sealed record PushFanoutOptions(
    Uri Server,
    int ServerPid,
    int PostmasterPid,
    string Database,
    string UserName,
    string Password,
    string PublicMessages,
    int Subscriptions,
    string District,
    int ReadEvery,
    int HubClients,
    int Events,
    int RampConcurrency,
    TimeSpan Stall,
    TimeSpan Timeout,
    string ServerSettings,
    string? Report)
{
    /// <summary>Samples to verify and decrypt per fan-out at least (one message in <see cref="ReadEvery"/>, fewer apart when that would give less).</summary>
    public const int MinimumSamples = 100;

    /// <summary>One message in this many is verified and decrypted: <see cref="ReadEvery"/>, or closer when the run is small.</summary>
    public int EffectiveReadEvery => Math.Clamp(Subscriptions / MinimumSamples, 1, ReadEvery);

    public static PushFanoutOptions? Parse(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        if (Option("--server") is not { } server || Option("--server-pid") is not { } serverPid || Option("--pg-pid") is not { } pgPid
            || Option("--db") is not { } db || Option("--logins") is not { } logins || Option("--messages") is not { } messages)
        {
            return null;
        }

        var user = Option("--user") ?? "hq";
        var password = File.ReadLines(logins).Select(l => l.Split('\t')).FirstOrDefault(f => f.Length == 3 && f[0] == user)?[2]
                       ?? throw new ArgumentException($"{logins} has no line for {user}");
        var options = new PushFanoutOptions(
            new Uri(server),
            int.Parse(serverPid, CultureInfo.InvariantCulture),
            int.Parse(pgPid, CultureInfo.InvariantCulture),
            db,
            user,
            password,
            messages,
            Number("--subscriptions", 100_000),
            Option("--district") ?? "district-takahata",
            Number("--read-every", 1000),
            Number("--hub-clients", 2000),
            Number("--events", 10),
            Number("--ramp", 200),
            TimeSpan.FromSeconds(Number("--stall", 60)),
            TimeSpan.FromSeconds(Number("--timeout", 1800)),
            Option("--server-settings") ?? "defaults",
            Option("--report"));
        return options is { Subscriptions: >= 1, ReadEvery: >= 1, HubClients: >= 1, Events: >= 1, RampConcurrency: >= 1 } ? options : null;
    }
}
