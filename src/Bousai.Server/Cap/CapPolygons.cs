using System.Globalization;

namespace Bousai.Server.Cap;

/// <summary>
/// A polygon's outer ring as CAP wants it: "lat,lon" pairs separated by spaces, the first pair repeated last, at most
/// a given number of points (a longer ring is simplified with Douglas–Peucker, the tolerance doubling until it fits).
/// </summary>
public static class CapPolygons
{
    /// <param name="ring">Longitude, latitude pairs (GeoJSON order), closed or not.</param>
    public static string FromRing(IReadOnlyList<(double Lon, double Lat)> ring, int maxPoints)
    {
        if (maxPoints < 4) throw new ArgumentOutOfRangeException(nameof(maxPoints), "A closed ring needs at least 4 points.");
        var open = ring.Count > 1 && ring[0] == ring[^1] ? ring.Take(ring.Count - 1).ToList() : ring.ToList();
        if (open.Count < 3) throw new ArgumentException("A polygon needs at least 3 distinct points.", nameof(ring));
        var points = open;
        for (var tolerance = 1e-6; points.Count + 1 > maxPoints; tolerance *= 2)
        {
            points = Simplify(open, tolerance);
        }

        return string.Join(' ', points.Append(points[0]).Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{Math.Round(p.Lat, 6)},{Math.Round(p.Lon, 6)}")));
    }

    /// <summary>Douglas–Peucker on a closed ring, split at its first point and the point farthest from it; keeps at least 3 points.</summary>
    private static List<(double Lon, double Lat)> Simplify(List<(double Lon, double Lat)> open, double tolerance)
    {
        var far = Enumerable.Range(1, open.Count - 1).MaxBy(i => Distance(open[0], open[i]));
        var keep = new bool[open.Count + 1];
        keep[0] = keep[far] = keep[open.Count] = true;
        var closed = open.Append(open[0]).ToList();
        Mark(closed, 0, far, tolerance, keep);
        Mark(closed, far, open.Count, tolerance, keep);
        var kept = Enumerable.Range(0, open.Count).Where(i => keep[i]).Select(i => open[i]).ToList();
        if (kept.Count >= 3) return kept;
        var third = Enumerable.Range(1, open.Count - 1).Where(i => i != far).MaxBy(i => Offset(open[i], open[0], open[far]));
        return Enumerable.Range(0, open.Count).Where(i => i == 0 || i == far || i == third).Select(i => open[i]).ToList();
    }

    private static void Mark(List<(double Lon, double Lat)> points, int from, int to, double tolerance, bool[] keep)
    {
        if (to - from < 2) return;
        var (index, offset) = (-1, -1.0);
        for (var i = from + 1; i < to; i++)
        {
            var d = Offset(points[i], points[from], points[to]);
            if (d > offset) (index, offset) = (i, d);
        }

        if (offset <= tolerance) return;
        keep[index] = true;
        Mark(points, from, index, tolerance, keep);
        Mark(points, index, to, tolerance, keep);
    }

    private static double Distance((double Lon, double Lat) a, (double Lon, double Lat) b) => Math.Sqrt(Square(a.Lon - b.Lon) + Square(a.Lat - b.Lat));

    /// <summary>Distance of a point from the segment a–b (degrees: fine at a town's scale, only the order matters).</summary>
    private static double Offset((double Lon, double Lat) p, (double Lon, double Lat) a, (double Lon, double Lat) b)
    {
        var length = Square(b.Lon - a.Lon) + Square(b.Lat - a.Lat);
        if (length == 0) return Distance(p, a);
        var t = Math.Clamp(((p.Lon - a.Lon) * (b.Lon - a.Lon) + (p.Lat - a.Lat) * (b.Lat - a.Lat)) / length, 0, 1);
        return Distance(p, (a.Lon + t * (b.Lon - a.Lon), a.Lat + t * (b.Lat - a.Lat)));
    }

    private static double Square(double x) => x * x;
}
