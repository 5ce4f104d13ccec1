namespace Bousai.SensorsSim;

/// <summary>
/// Quiet weather, SYNTHETIC: rivers well below their first threshold with a slow swell, and now and then a
/// light shower. Values depend only on the station and the observation time, so a re-run publishes the same
/// readings for the same times (redelivery looks like redelivery, not new data).
/// </summary>
public static class SteadyWeather
{
    public static double Value(SimulatedStation station, DateTimeOffset observedAt) =>
        station.Kind == SimulatedStation.WaterLevel ? WaterLevel(station, observedAt) : Rainfall(station, observedAt);

    /// <summary>Metres above the gauge datum: about 55 % of the first threshold, ±3 % over a 12-hour swell.</summary>
    public static double WaterLevel(SimulatedStation station, DateTimeOffset observedAt)
    {
        var first = station.Thresholds.TryGetValue("standby", out var standby) ? standby
            : station.Thresholds.TryGetValue("observation_start", out var start) ? start
            : 2.0;
        var hours = observedAt.ToUnixTimeSeconds() / 3600.0;
        var swell = Math.Sin(2 * Math.PI * (hours / 12.0 + Phase(station.Id)));
        var jitter = (Noise(station.Id, observedAt) - 0.5) * 0.01;
        return Math.Round(first * (0.55 + 0.03 * swell) + jitter, 2);
    }

    /// <summary>Millimetres in the 10 minutes to observedAt: dry nine times in ten, otherwise 0.5–3 mm.</summary>
    public static double Rainfall(SimulatedStation station, DateTimeOffset observedAt)
    {
        var chance = Noise(station.Id, observedAt);
        return chance < 0.9 ? 0.0 : Math.Round(0.5 + (chance - 0.9) * 25, 1);
    }

    private static double Phase(string stationId) => (uint)Fnv(stationId) / (double)uint.MaxValue;

    private static double Noise(string stationId, DateTimeOffset observedAt)
    {
        var hash = Fnv(stationId) ^ (ulong)observedAt.ToUnixTimeSeconds() * 0x9E3779B97F4A7C15UL;
        hash ^= hash >> 31;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 29;
        return (hash >> 11) / (double)(1UL << 53);
    }

    private static ulong Fnv(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text) hash = (hash ^ c) * 0x100000001B3UL;
        return hash;
    }
}
