namespace Bousai.Server.SituationReport;

/// <summary>
/// Longitude and latitude to image pixels for a town-sized map: equirectangular, with longitudes scaled by the cosine of
/// the map's middle latitude, so that a metre is the same number of pixels east and north (over the town's 20 km the
/// error is far below a pixel). Fitted so that a bounding box fills the frame less a margin, centred.
/// </summary>
public sealed record MapProjection(double CentreLongitude, double CentreLatitude, double MetresPerPixel, double CentreX, double CentreY)
{
    /// <summary>Metres per degree of latitude on the mean Earth sphere.</summary>
    private const double MetresPerDegree = 6_371_008.8 * Math.PI / 180;

    private double Cos => Math.Cos(CentreLatitude * Math.PI / 180);

    /// <summary>Fits the box (degrees) into the frame (pixels from its top left) less <paramref name="margin"/> pixels on each side.</summary>
    public static MapProjection Fit(double west, double south, double east, double north, double frameLeft, double frameTop,
        double frameWidth, double frameHeight, double margin)
    {
        if (east <= west || north <= south) throw new ArgumentException("the box must have a positive width and height");
        var centreLatitude = (south + north) / 2;
        var cos = Math.Cos(centreLatitude * Math.PI / 180);
        var widthMetres = (east - west) * MetresPerDegree * cos;
        var heightMetres = (north - south) * MetresPerDegree;
        var usableWidth = Math.Max(1, frameWidth - 2 * margin);
        var usableHeight = Math.Max(1, frameHeight - 2 * margin);
        var metresPerPixel = Math.Max(widthMetres / usableWidth, heightMetres / usableHeight);
        return new MapProjection((west + east) / 2, centreLatitude, metresPerPixel, frameLeft + frameWidth / 2, frameTop + frameHeight / 2);
    }

    /// <summary>The pixel (x right, y down) of a point.</summary>
    public (double X, double Y) ToPixel(double longitude, double latitude) =>
        (CentreX + (longitude - CentreLongitude) * MetresPerDegree * Cos / MetresPerPixel,
         CentreY - (latitude - CentreLatitude) * MetresPerDegree / MetresPerPixel);

    /// <summary>The same projection for an image <paramref name="factor"/> times as many pixels across (a print of the same layout).</summary>
    public MapProjection Scaled(double factor) => this with
    {
        MetresPerPixel = MetresPerPixel / factor, CentreX = CentreX * factor, CentreY = CentreY * factor,
    };

    /// <summary>
    /// The length for a scale bar: the longest round distance (1, 2 or 5 × 10ⁿ metres) that fits in <paramref name="maxPixels"/>,
    /// with its length in pixels.
    /// </summary>
    public (double Metres, double Pixels) ScaleBar(double maxPixels)
    {
        var limit = maxPixels * MetresPerPixel;
        var power = Math.Pow(10, Math.Floor(Math.Log10(limit)));
        var metres = new[] { 5, 2, 1 }.Select(step => step * power).First(m => m <= limit);
        return (metres, metres / MetresPerPixel);
    }
}
