using System.Runtime.InteropServices;
using Bousai.SensorsSim;

// Bousai sensor simulator: publishes SYNTHETIC gauge readings over MQTT in the contract of docs/mqtt.md.
// Modes (docs/mqtt.md, "The simulator"):
//   steady   --broker URL [--stations FILE] [--interval SECONDS] [--count N] [--speed S (needs --count)]
//   scenario --scenario 2022-08|2019-hagibis [--speed S (default 60)] [--then steady|stop] [--interval SECONDS] [--count N]
//   load     --load-stations N --rate R [--batch K] [--duration SECONDS] [--connections C] [--in-flight F]
// and in every mode --client-id ID (default bousai-sensors-sim; load mode appends -1, -2, … per connection).
// Exit codes: 0 done (or Ctrl-C), 1 load readings left unacknowledged, 2 bad options or the broker refused us.
using var stop = new CancellationTokenSource();
// Ctrl-C and TERM end the run gracefully: load mode still drains its in-flight publishes and prints its totals.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    var options = SimOptions.Parse(args, Environment.GetEnvironmentVariable("BOUSAI_MQTT_URL"),
        Path.Combine(AppContext.BaseDirectory, "geodata", "stations.geojson"));
    var time = TimeProvider.System;
    if (options.Load is { } load)
    {
        var totals = await new LoadRun(load, options.Broker, options.ClientId, time).RunAsync(stop.Token);
        Console.WriteLine(totals);
        return totals.MessagesFailed == 0 ? 0 : 1;
    }

    var stations = SimulatedStation.ReadGeoJson(options.StationsFile);
    await using var publisher = new ReadingPublisher(options.Broker, options.ClientId);
    await publisher.ConnectAsync(stop.Token);
    var feed = new StationFeed(publisher, stations);
    try
    {
        if (options.Scenario is { } scenario)
        {
            var end = await Replay.ScenarioAsync(feed, scenario, options.Speed, time, stop.Token);
            Console.WriteLine($"SYNTHETIC scenario {scenario.Name} done: {feed.Published} readings published; the last observed at {StationFeed.Jst(end)} JST");
            if (options.ThenSteady)
            {
                Console.WriteLine(FormattableString.Invariant($"SYNTHETIC steady weather follows in real time, a round every {options.Interval.TotalSeconds:0.###} s"));
                await Replay.SteadyAsync(feed, ReplayTimeline.RealTimeFrom(end), options.Interval, 1, options.Count, time, stop.Token);
            }
        }
        else
        {
            await Replay.SteadyAsync(feed, options, time, stop.Token);
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        Console.WriteLine($"stopped: {feed.Published} readings published");
    }

    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException or System.Text.Json.JsonException or KeyNotFoundException
                               or BrokerRefusedException or MQTTnet.Exceptions.MqttCommunicationException)
{
    Console.Error.WriteLine($"sensors-sim: {e.Message}");
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 0;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
