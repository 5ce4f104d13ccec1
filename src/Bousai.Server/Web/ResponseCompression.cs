using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Bousai.Server.Web;

/// <summary>
/// On-the-fly Brotli or gzip (fastest level) for the dynamic text answers: pages, JSON and GeoJSON, problem details,
/// CSV, XML, Atom and CAP. The static files are already compressed at build (StaticAssets) and carry Content-Encoding,
/// which the middleware leaves alone.
/// </summary>
public static class ResponseCompression
{
    public static readonly string[] CompressedTypes =
    [
        "text/html", "text/plain", "text/csv", "text/xml",
        "application/json", "application/geo+json", "application/problem+json",
        "application/xml", "application/atom+xml", "application/cap+xml",
    ];

    public static IServiceCollection AddBousaiResponseCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            // Behind the TLS gateway (forwarded headers) every request is HTTPS, so this must be on to compress at all.
            // BREACH needs a secret repeated in bodies beside attacker-chosen text: public answers hold no secret, the
            // session lives in a cookie, and the sign-in form's antiforgery token is encrypted afresh on every render.
            options.EnableForHttps = true;
            options.MimeTypes = CompressedTypes;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }
}
