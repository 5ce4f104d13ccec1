using Microsoft.Extensions.Options;

namespace Bousai.Server.Web;

/// <summary>
/// Security headers on every answer: pages, assets, the API, redirects and errors. Set when the response starts, so an
/// error page written after the exception handler cleared the response still carries them.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var policy = ContentSecurityPolicy(app.ApplicationServices.GetRequiredService<IOptions<MapOptions>>().Value.BasemapUrl);
        return app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next(http);
        });
    }

    /// <summary>
    /// Scripts, styles and connections (fetch, WebSocket) from this origin only; images also from the basemap's tile host
    /// and data: URLs (OpenLayers' icons). The pages have no inline script or style element; OpenLayers sets element
    /// styles through the DOM, which style-src does not govern.
    /// </summary>
    public static string ContentSecurityPolicy(string basemapUrl) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" + TileSource(basemapUrl)
        + "; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>The scheme and host of an XYZ template such as https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png;
    /// a templated subdomain ({s}.tile.example, {a-c}.tile.example) becomes a wildcard.</summary>
    private static string TileSource(string basemapUrl)
    {
        var schemeEnd = basemapUrl.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return "";
        var hostEnd = basemapUrl.IndexOf('/', schemeEnd + 3);
        var authority = hostEnd < 0 ? basemapUrl[(schemeEnd + 3)..] : basemapUrl[(schemeEnd + 3)..hostEnd];
        var labels = authority.Split('.').Select(label => label.Contains('{') ? "*" : label);
        var source = basemapUrl[..schemeEnd] + "://" + string.Join('.', labels);
        // Anything else (a quote, a space, a semicolon) would break the policy: then the basemap is simply not allowed.
        return source.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '.' or '-' or '*' or '[' or ']') ? " " + source : "";
    }
}
