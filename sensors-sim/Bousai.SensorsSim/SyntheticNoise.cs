namespace Bousai.SensorsSim;

/// <summary>
/// Deterministic pseudo-randomness for SYNTHETIC values: a number in [0, 1) from the station and the observation time,
/// so a re-run publishes the same readings for the same times (redelivery looks like redelivery, not new data).
/// </summary>
public static class SyntheticNoise
{
    public static double At(string stationId, DateTimeOffset observedAt)
    {
        var hash = Fnv(stationId) ^ (ulong)observedAt.ToUnixTimeSeconds() * 0x9E3779B97F4A7C15UL;
        hash ^= hash >> 31;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 29;
        return (hash >> 11) / (double)(1UL << 53);
    }

    /// <summary>A fixed number in [0, 1] per station, to spread stations over a cycle or a window.</summary>
    public static double Phase(string stationId) => (uint)Fnv(stationId) / (double)uint.MaxValue;

    private static ulong Fnv(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text) hash = (hash ^ c) * 0x100000001B3UL;
        return hash;
    }
}
