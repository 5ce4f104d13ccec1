using Bousai.Server.SituationReport;

namespace Bousai.Server.Tests.SituationReport;

public sealed class MapProjectionTests
{
    // Takahata's box, roughly: 0.17° of longitude by 0.12° of latitude around 38.0 N.
    private static readonly MapProjection Town = MapProjection.Fit(140.10, 37.94, 140.27, 38.06, 0, 0, 1000, 800, 20);

    [Fact]
    public void The_box_fills_the_frame_less_the_margin_and_sits_in_its_middle()
    {
        var (west, north) = Town.ToPixel(140.10, 38.06);
        var (east, south) = Town.ToPixel(140.27, 37.94);
        Assert.Equal(500, (west + east) / 2, 6);
        Assert.Equal(400, (north + south) / 2, 6);
        // 14.9 km (0.17° × cos 38°) across 960 px is 15.5 m/px; 13.3 km down 760 px is 17.6 m/px: the height sets the scale.
        Assert.Equal(20, north, 6);
        Assert.Equal(780, south, 6);
        Assert.True(west > 20 && east < 980);
    }

    [Fact]
    public void A_metre_is_as_many_pixels_east_as_north()
    {
        var (x0, y0) = Town.ToPixel(140.18, 38.0);
        // 1 km east and 1 km north of the same point.
        var (x1, _) = Town.ToPixel(140.18 + 1000 / (111_195.08 * Math.Cos(38.0 * Math.PI / 180)), 38.0);
        var (_, y1) = Town.ToPixel(140.18, 38.0 + 1000 / 111_195.08);
        Assert.Equal(x1 - x0, y0 - y1, 2);
        Assert.Equal(1000 / Town.MetresPerPixel, x1 - x0, 2);
    }

    [Theory]
    [InlineData(160, 10_000, 1_000_000)]
    [InlineData(160, 20, 2000)]
    [InlineData(160, 2, 200)]
    [InlineData(100, 15.5, 1000)]
    [InlineData(100, 9, 500)]
    public void The_scale_bar_is_the_longest_round_distance_that_fits(double maxPixels, double metresPerPixel, double metres)
    {
        var projection = Town with { MetresPerPixel = metresPerPixel };
        var bar = projection.ScaleBar(maxPixels);
        Assert.Equal(metres, bar.Metres);
        Assert.Equal(metres / metresPerPixel, bar.Pixels, 6);
        Assert.True(bar.Pixels <= maxPixels);
    }

    [Fact]
    public void A_print_scales_pixels_but_keeps_places()
    {
        var print = Town.Scaled(2.5);
        var (x, y) = Town.ToPixel(140.2, 38.01);
        var (px, py) = print.ToPixel(140.2, 38.01);
        Assert.Equal(x * 2.5, px, 6);
        Assert.Equal(y * 2.5, py, 6);
    }
}
