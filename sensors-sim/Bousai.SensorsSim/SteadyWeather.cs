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
        var first = station.FirstThreshold ?? 2.0;
        var hours = observedAt.ToUnixTimeSeconds() / 3600.0;
        var swell = Math.Sin(2 * Math.PI * (hours / 12.0 + SyntheticNoise.Phase(station.Id)));
        var jitter = (SyntheticNoise.At(station.Id, observedAt) - 0.5) * 0.01;
        return Math.Round(first * (0.55 + 0.03 * swell) + jitter, 2);
    }

    /// <summary>Millimetres in the 10 minutes to observedAt: dry nine times in ten, otherwise 0.5–3 mm.</summary>
    public static double Rainfall(SimulatedStation station, DateTimeOffset observedAt)
    {
        var chance = SyntheticNoise.At(station.Id, observedAt);
        return chance < 0.9 ? 0.0 : Math.Round(0.5 + (chance - 0.9) * 25, 1);
    }
}
