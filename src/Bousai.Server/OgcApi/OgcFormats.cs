namespace Bousai.Server.OgcApi;

/// <summary>A representation an OGC resource is given in: JSON (GeoJSON for features) or HTML.</summary>
public sealed record OgcFormat(string Name, string MediaType, bool IsHtml)
{
    /// <summary>The other representation, for the alternate link.</summary>
    public OgcFormat Other => IsHtml ? OgcFormats.Json : OgcFormats.Html;
}

/// <summary>Content negotiation of OGC API – Features: f=json|html wins; otherwise a browser's Accept gets HTML, everything else JSON.</summary>
public static class OgcFormats
{
    public static readonly OgcFormat Json = new("json", "application/json", false);
    public static readonly OgcFormat Html = new("html", "text/html", true);

    /// <summary>The format asked for; null when f names one this API does not give.</summary>
    public static OgcFormat? Negotiate(HttpContext http, string? f) => f switch
    {
        "json" => Json,
        "html" => Html,
        null or "" => PrefersHtml(http.Request.Headers.Accept.ToString()) ? Html : Json,
        _ => null,
    };

    /// <summary>HTML when the client ranks text/html above every JSON type (a browser's Accept does; GDAL's and QGIS's do not).</summary>
    public static bool PrefersHtml(string accept)
    {
        double html = 0, json = 0;
        foreach (var part in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var q = pieces.Skip(1).Select(p => p.StartsWith("q=", StringComparison.Ordinal)
                && double.TryParse(p[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : (double?)null)
                .FirstOrDefault(v => v is not null) ?? 1;
            var type = pieces[0].ToLowerInvariant();
            if (type == "text/html") html = Math.Max(html, q);
            else if (type.EndsWith("json", StringComparison.Ordinal)) json = Math.Max(json, q);
        }

        return html > json;
    }

    public static IResult UnknownFormat() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["f"] = ["Give f=json (GeoJSON for features) or f=html."],
    });
}
