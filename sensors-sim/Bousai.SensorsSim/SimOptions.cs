using System.Globalization;

namespace Bousai.SensorsSim;

public enum SimMode
{
    Steady,
    Scenario,
    Load,
}

/// <summary>The command line, checked: anything wrong is an <see cref="ArgumentException"/> with a message for the user (exit 2).</summary>
public sealed record SimOptions
{
    public const string DefaultClientId = "bousai-sensors-sim";

    public required BrokerAddress Broker { get; init; }

    public required SimMode Mode { get; init; }

    public string StationsFile { get; init; } = "";

    public Scenario? Scenario { get; init; }

    /// <summary>Simulated seconds per wall-clock second.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Steady mode: simulated time between rounds.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Steady rounds (after the scenario, with --then steady); null: until Ctrl-C.</summary>
    public int? Count { get; init; }

    /// <summary>After a scenario: carry on in steady mode in real time, or stop.</summary>
    public bool ThenSteady { get; init; } = true;

    public string ClientId { get; init; } = DefaultClientId;

    public LoadOptions? Load { get; init; }

    private static readonly Dictionary<string, SimMode[]> AppliesTo = new()
    {
        ["--broker"] = [SimMode.Steady, SimMode.Scenario, SimMode.Load],
        ["--client-id"] = [SimMode.Steady, SimMode.Scenario, SimMode.Load],
        ["--mode"] = [SimMode.Steady, SimMode.Scenario, SimMode.Load],
        // ./bousai sim always passes the shipped stations; load mode makes up its own and ignores them.
        ["--stations"] = [SimMode.Steady, SimMode.Scenario, SimMode.Load],
        ["--scenario"] = [SimMode.Scenario],
        ["--then"] = [SimMode.Scenario],
        ["--speed"] = [SimMode.Steady, SimMode.Scenario],
        ["--interval"] = [SimMode.Steady, SimMode.Scenario],
        ["--count"] = [SimMode.Steady, SimMode.Scenario],
        ["--load-stations"] = [SimMode.Load],
        ["--rate"] = [SimMode.Load],
        ["--batch"] = [SimMode.Load],
        ["--duration"] = [SimMode.Load],
        ["--connections"] = [SimMode.Load],
        ["--in-flight"] = [SimMode.Load],
    };

    public static SimOptions Parse(IReadOnlyList<string> args, string? brokerFromEnvironment, string defaultStationsFile)
    {
        var given = new Dictionary<string, string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!AppliesTo.ContainsKey(name)) throw new ArgumentException($"unknown option '{name}' (options: {string.Join(" ", AppliesTo.Keys)})");
            if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
            if (!given.TryAdd(name, args[++i])) throw new ArgumentException($"{name} is given twice");
        }

        var mode = given.TryGetValue("--mode", out var modeText)
            ? modeText switch
            {
                "steady" => SimMode.Steady,
                "scenario" => SimMode.Scenario,
                "load" => SimMode.Load,
                _ => throw new ArgumentException($"--mode is steady, scenario or load (got '{modeText}')"),
            }
            : given.ContainsKey("--scenario") ? SimMode.Scenario
            : given.ContainsKey("--load-stations") ? SimMode.Load
            : SimMode.Steady;
        foreach (var name in given.Keys.Where(n => !AppliesTo[n].Contains(mode)))
        {
            throw new ArgumentException($"{name} does not apply to {mode.ToString().ToLowerInvariant()} mode");
        }

        var broker = BrokerAddress.Parse(given.GetValueOrDefault("--broker") ?? brokerFromEnvironment
            ?? throw new ArgumentException("give --broker mqtt://USER:PASSWORD@HOST:PORT (or BOUSAI_MQTT_URL)"));
        var options = new SimOptions
        {
            Broker = broker,
            Mode = mode,
            StationsFile = given.GetValueOrDefault("--stations") ?? defaultStationsFile,
            ClientId = given.GetValueOrDefault("--client-id") ?? DefaultClientId,
            Interval = TimeSpan.FromSeconds(Positive(given, "--interval", 600)),
            Count = given.ContainsKey("--count") ? (int)Whole(given, "--count", 1, 1, int.MaxValue) : null,
        };
        if (options.ClientId.Length == 0) throw new ArgumentException("--client-id must not be empty");

        return mode switch
        {
            SimMode.Steady => Steady(options, given),
            SimMode.Scenario => ScenarioReplay(options, given),
            _ => options with { Load = LoadOptions.Parse(given) },
        };
    }

    private static SimOptions Steady(SimOptions options, Dictionary<string, string> given)
    {
        var speed = SpeedOption(given, 1);
        // Faster than real time, readings would run into the future; so a fast steady run is a replay that ends now.
        if (speed > 1 && options.Count is null) throw new ArgumentException("steady mode at --speed above 1 needs --count: the replay is placed in the past and ends now");
        return options with { Speed = speed };
    }

    private static SimOptions ScenarioReplay(SimOptions options, Dictionary<string, string> given)
    {
        var scenario = Scenarios.Named(given.GetValueOrDefault("--scenario")
            ?? throw new ArgumentException($"give --scenario {string.Join("|", Scenarios.All.Select(s => s.Name))}"));
        var then = given.GetValueOrDefault("--then") ?? "steady";
        if (then is not ("steady" or "stop")) throw new ArgumentException($"--then is steady or stop (got '{then}')");
        if (then == "stop" && options.Count is not null) throw new ArgumentException("--count counts the steady rounds after the scenario: it needs --then steady");
        return options with { Scenario = scenario, Speed = SpeedOption(given, 60), ThenSteady = then == "steady" };
    }

    private static double SpeedOption(Dictionary<string, string> given, double fallback)
    {
        var speed = Positive(given, "--speed", fallback);
        return speed >= 1 ? speed : throw new ArgumentException($"--speed must be at least 1 (got {speed}): a replay cannot run slower than real time");
    }

    internal static double Positive(Dictionary<string, string> given, string name, double fallback)
    {
        if (!given.TryGetValue(name, out var text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive number (got '{text}')");
    }

    internal static long Whole(Dictionary<string, string> given, string name, long fallback, long min, long max)
    {
        if (!given.TryGetValue(name, out var text)) return fallback;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max} (got '{text}')");
    }
}

/// <summary>
/// Load mode, for the ingestion benchmark: <see cref="Stations"/> made-up stations load-00001 … each publishing
/// <see cref="Rate"/> water-level readings a second, <see cref="Batch"/> readings to a message.
/// </summary>
public sealed record LoadOptions(int Stations, double Rate, int Batch, TimeSpan? Duration, int Connections, int InFlight)
{
    public const int MaxStations = 99_999;

    /// <summary>observedAt is strictly increasing per station to the millisecond: at most 1,000 readings a second each.</summary>
    public const double MaxRate = 1_000;

    public static LoadOptions Parse(Dictionary<string, string> given)
    {
        var stations = (int)SimOptions.Whole(given, "--load-stations", 0, 1, MaxStations);
        if (stations == 0) throw new ArgumentException("load mode needs --load-stations N (1 to 99999)");
        if (!given.ContainsKey("--rate")) throw new ArgumentException("load mode needs --rate R (readings a second per station)");
        var rate = SimOptions.Positive(given, "--rate", 1);
        if (rate > MaxRate) throw new ArgumentException($"--rate is at most {MaxRate:0} readings a second per station (observedAt is to the millisecond)");
        var duration = given.ContainsKey("--duration") ? TimeSpan.FromSeconds(SimOptions.Positive(given, "--duration", 1)) : (TimeSpan?)null;
        var connections = (int)SimOptions.Whole(given, "--connections", 4, 1, 64);
        return new LoadOptions(stations, rate, (int)SimOptions.Whole(given, "--batch", 1, 1, 1000), duration,
            Math.Min(connections, stations), (int)SimOptions.Whole(given, "--in-flight", 1000, 1, ushort.MaxValue));
    }

    public static string StationId(int number) => $"load-{number:D5}";
}
