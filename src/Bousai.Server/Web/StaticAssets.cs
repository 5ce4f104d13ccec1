using Microsoft.AspNetCore.StaticAssets;

namespace Bousai.Server.Web;

/// <summary>
/// The web client's files (Vite's output in wwwroot) as endpoints from the build's static web assets manifest, with the
/// Brotli and gzip copies the build made (chosen by Accept-Encoding) and an ETag per file. Vite puts a content hash in
/// every name under /assets/, so those never change under their URL and are cached for a year; the rest (the service
/// workers, the pages' HTML) keep the manifest's no-cache, so browsers revalidate them with their ETag.
/// </summary>
public static class StaticAssets
{
    public const string HashedPrefix = "assets/";
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    public static IEndpointConventionBuilder MapWebClientAssets(this IEndpointRouteBuilder routes)
    {
        var assets = routes.MapStaticAssets();
        assets.Add(endpoint =>
        {
            var asset = endpoint.Metadata.OfType<StaticAssetDescriptor>().FirstOrDefault();
            if (asset is null || !asset.Route.StartsWith(HashedPrefix, StringComparison.Ordinal) || endpoint.RequestDelegate is not { } serve)
            {
                return;
            }

            // The manifest's headers are appended when the file is served, so the year-long policy replaces them just
            // before the response starts (200, 206 and 304 alike; errors keep their own).
            endpoint.RequestDelegate = http =>
            {
                http.Response.OnStarting(() =>
                {
                    if (http.Response.StatusCode < StatusCodes.Status400BadRequest)
                    {
                        http.Response.Headers.CacheControl = ImmutableCacheControl;
                    }

                    return Task.CompletedTask;
                });
                return serve(http);
            };
        });
        return assets;
    }
}
