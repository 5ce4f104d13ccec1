using Bousai.Server.Cap;

namespace Bousai.Server.Tests.Cap;

public sealed class CapPolygonsTests
{
    private static IReadOnlyList<(double Lon, double Lat)> Circle(int points) =>
        [.. Enumerable.Range(0, points).Select(i => (140.2 + 0.05 * Math.Cos(2 * Math.PI * i / points), 38.0 + 0.04 * Math.Sin(2 * Math.PI * i / points)))];

    [Fact]
    public void A_ring_is_lat_lon_pairs_closed_on_its_first_point()
    {
        var polygon = CapPolygons.FromRing([(140.1, 37.9), (140.2, 37.9), (140.2, 38.0)], 100);

        Assert.Equal("37.9,140.1 37.9,140.2 38,140.2 37.9,140.1", polygon);
    }

    [Fact]
    public void A_closed_ring_is_not_closed_twice()
    {
        Assert.Equal("37.9,140.1 37.9,140.2 38,140.2 37.9,140.1",
            CapPolygons.FromRing([(140.1, 37.9), (140.2, 37.9), (140.2, 38.0), (140.1, 37.9)], 100));
    }

    [Theory]
    [InlineData(226, 100)]
    [InlineData(1000, 100)]
    [InlineData(500, 20)]
    public void A_long_ring_is_simplified_to_at_most_the_limit_and_stays_closed(int points, int max)
    {
        var pairs = CapPolygons.FromRing(Circle(points), max).Split(' ');

        Assert.InRange(pairs.Length, 4, max);
        Assert.Equal(pairs[0], pairs[^1]);
        Assert.True(pairs.Length > max / 3, $"simplified too far: {pairs.Length} points");
    }

    [Fact]
    public void A_short_ring_is_kept_as_it_is()
    {
        Assert.Equal(61, CapPolygons.FromRing(Circle(60), 100).Split(' ').Length);
    }
}
