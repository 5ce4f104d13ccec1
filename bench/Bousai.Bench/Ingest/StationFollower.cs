using System.Text.Json;

namespace Bousai.Bench.Ingest;

/// <summary>A gauge state as it reached the resident: which reading it carries, when the server logged it, and when it arrived here.</summary>
public readonly record struct StationArrival(string StationId, long ObservedAtMs, DateTimeOffset EventAt, long ArrivedTimestamp);

/// <summary>One resident's browser on /hubs/public that records every station_state_changed event for the stations it watches.</summary>
public sealed class StationFollower(string stationPrefix) : PublicHubClient
{
    private readonly List<StationArrival> _arrivals = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<StationArrival> Arrivals
    {
        get { lock (_gate) return [.. _arrivals]; }
    }

    protected override void OnEvent(JsonElement change, long arrived)
    {
        if (change.GetProperty("kind").GetString() != "station_state_changed") return;
        var state = change.GetProperty("state");
        var station = state.GetProperty("stationId").GetString()!;
        if (!station.StartsWith(stationPrefix, StringComparison.Ordinal)) return;
        var observedAt = state.GetProperty("observedAt").GetDateTimeOffset().ToUnixTimeMilliseconds();
        lock (_gate) _arrivals.Add(new StationArrival(station, observedAt, change.GetProperty("at").GetDateTimeOffset(), arrived));
    }
}
