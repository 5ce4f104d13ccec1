namespace Bousai.Bench;

/// <summary>Nearest-rank percentiles of measured times.</summary>
public static class Percentiles
{
    /// <summary>The value at or below which q percent of the values lie (nearest rank; q from 0 to 100).</summary>
    public static double Of(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
