using Bousai.SensorsSim;

// Bousai sensor simulator: publishes SYNTHETIC gauge readings over MQTT in the contract of docs/mqtt.md.
//   sensors-sim --broker mqtt://USER:PASSWORD@HOST:PORT [--stations geodata/stations.geojson] [--interval SECONDS] [--count N]
// --interval: seconds between rounds (default 600: every station reports every 10 minutes, as real gauges do);
// --count: stop after N rounds (default: run until Ctrl-C).
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

try
{
    var broker = BrokerAddress.Parse(Option("--broker") ?? Environment.GetEnvironmentVariable("BOUSAI_MQTT_URL")
        ?? throw new ArgumentException("give --broker mqtt://USER:PASSWORD@HOST:PORT (or BOUSAI_MQTT_URL)"));
    var stationsFile = Option("--stations") ?? Path.Combine(AppContext.BaseDirectory, "geodata", "stations.geojson");
    var interval = TimeSpan.FromSeconds(double.Parse(Option("--interval") ?? "600", System.Globalization.CultureInfo.InvariantCulture));
    var rounds = Option("--count") is { } count ? int.Parse(count) : int.MaxValue;
    if (interval <= TimeSpan.Zero || rounds <= 0) throw new ArgumentException("--interval and --count must be positive");
    var stations = SimulatedStation.ReadGeoJson(stationsFile);

    // Not disposed: ProcessExit may still fire after the loop ends.
    var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

    await using var publisher = new ReadingPublisher(broker, "bousai-sensors-sim");
    await publisher.ConnectAsync(stop.Token);
    Console.WriteLine($"SYNTHETIC steady weather: {stations.Count} stations → {broker}, a round every {interval.TotalSeconds:0} s");
    var published = 0;
    for (var round = 1; round <= rounds && !stop.IsCancellationRequested; round++)
    {
        var observedAt = DateTimeOffset.UtcNow;
        foreach (var station in stations)
        {
            await publisher.PublishAsync(ReadingMessage.For(station, observedAt, SteadyWeather.Value(station, observedAt)), stop.Token);
            published++;
        }

        Console.WriteLine($"round {round}: {published} readings published (observedAt {observedAt.ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd HH:mm:ss} JST)");
        if (round < rounds) await Task.Delay(interval, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException or BrokerRefusedException
                               or MQTTnet.Exceptions.MqttCommunicationException)
{
    Console.Error.WriteLine($"sensors-sim: {e.Message}");
    return 2;
}
