using System.Globalization;

namespace Bousai.SensorsSim;

/// <summary>Plays rounds on a <see cref="ReplayTimeline"/>: steady weather, a scenario, or a scenario and then steady weather.</summary>
public static class Replay
{
    /// <summary>
    /// Steady weather, rounds <paramref name="interval"/> apart from round <paramref name="firstRound"/> on, for
    /// <paramref name="rounds"/> rounds (null: until cancelled).
    /// </summary>
    public static async Task SteadyAsync(StationFeed feed, ReplayTimeline timeline, TimeSpan interval, int firstRound, int? rounds,
        TimeProvider time, CancellationToken cancellationToken)
    {
        for (var round = firstRound; rounds is null || round < firstRound + rounds; round++)
        {
            var offset = interval * round;
            await WaitUntilAsync(timeline.DueAt(offset), time, cancellationToken);
            var observedAt = timeline.ObservedAt(offset);
            var values = await feed.PublishRoundAsync(observedAt, s => SteadyWeather.Value(s, observedAt), cancellationToken);
            Console.WriteLine($"SYNTHETIC steady round {round - firstRound + 1}{(rounds is { } n ? $"/{n}" : "")}: observedAt {StationFeed.Jst(observedAt)} JST, "
                              + $"{values.Count(v => v.Reported)} readings ({feed.Published} in all) · {feed.Describe(values)}");
        }
    }

    /// <summary>Steady weather as the command line asks: real time from now, or at --speed S a replay of --count rounds that ends now.</summary>
    public static Task SteadyAsync(StationFeed feed, SimOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timeline = options.Speed > 1
            ? ReplayTimeline.EndingNow(now, options.Interval * (options.Count!.Value - 1), options.Speed)
            : ReplayTimeline.RealTimeFrom(now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond)));
        var replay = options.Speed > 1
            ? string.Create(CultureInfo.InvariantCulture, $", {options.Count} rounds at {options.Speed:0.###}× from observedAt {StationFeed.Jst(timeline.ObservedStart)} JST to now")
            : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SYNTHETIC steady weather: {feed.Stations.Count} stations, a round every {options.Interval.TotalSeconds:0.###} s of observedAt{replay}"));
        return SteadyAsync(feed, timeline, options.Interval, 0, options.Count, time, cancellationToken);
    }

    /// <summary>The scenario's rounds, placed in the past so that the last one is observed now; returns its observedAt.</summary>
    public static async Task<DateTimeOffset> ScenarioAsync(StationFeed feed, Scenario scenario, double speed, TimeProvider time, CancellationToken cancellationToken)
    {
        var timeline = ReplayTimeline.EndingNow(time.GetUtcNow(), scenario.Duration, speed);
        DateTimeOffset ObservedAt(DateTimeOffset scenarioTime) => timeline.ObservedAt(scenarioTime - scenario.Start);
        string Mapping(DateTimeOffset scenarioTime, string what) =>
            $"  scenario {StationFeed.Jst(scenarioTime)[..16]} ({what}) = observedAt {StationFeed.Jst(ObservedAt(scenarioTime))[..16]} JST";

        Console.WriteLine($"SYNTHETIC scenario {scenario.Name}: {scenario.Title}");
        Console.WriteLine($"  {scenario.Facts}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {scenario.Duration.TotalHours:0.#} h played at {speed:0.###}× in {(scenario.Duration / speed).TotalMinutes:0.#} min, placed in the past so that it ends now (the server refuses readings from the future):"));
        Console.WriteLine(Mapping(scenario.Start, "start"));
        foreach (var mark in scenario.Marks) Console.WriteLine(Mapping(mark.At, mark.Label));
        Console.WriteLine(Mapping(scenario.End, "end"));

        var times = scenario.ReadingTimes.ToList();
        var observedAt = timeline.ObservedStart;
        for (var round = 0; round < times.Count; round++)
        {
            var scenarioTime = times[round];
            var offset = scenarioTime - scenario.Start;
            await WaitUntilAsync(timeline.DueAt(offset), time, cancellationToken);
            observedAt = timeline.ObservedAt(offset);
            var values = await feed.PublishRoundAsync(observedAt, s => scenario.Value(s, scenarioTime), cancellationToken);
            Console.WriteLine($"SYNTHETIC {scenario.Name} {round + 1}/{times.Count} scenario {StationFeed.Jst(scenarioTime)[..16]} JST = observedAt {StationFeed.Jst(observedAt)} JST · "
                              + feed.Describe(values));
            foreach (var mark in scenario.Marks.Where(m => m.At > scenarioTime - Scenario.Step && m.At <= scenarioTime))
            {
                Console.WriteLine($"  real event at {StationFeed.Jst(mark.At)[11..16]}: {mark.Label}");
            }
        }

        return observedAt;
    }

    private static async Task WaitUntilAsync(DateTimeOffset due, TimeProvider time, CancellationToken cancellationToken)
    {
        var wait = due - time.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
    }
}
