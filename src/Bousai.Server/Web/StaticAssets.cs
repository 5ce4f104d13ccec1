using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticAssets;

namespace Bousai.Server.Web;

/// <summary>
/// The web client's files (Vite's output in wwwroot) as endpoints from the build's static web assets manifest, with the
/// Brotli and gzip copies the build made (chosen by Accept-Encoding) and an ETag per file. Vite puts a content hash in
/// every name under /assets/, so those never change under their URL and are cached for a year; the rest (the service
/// workers, the pages' HTML) keep the manifest's no-cache, so browsers revalidate them with their ETag.
/// </summary>
/// <remarks>
/// The manifest is written by <c>dotnet build</c>; <c>npm run build</c> after it changes wwwroot (new hashed names, new
/// service workers) without it. Such a stale manifest must not break the pages: a file whose content differs from what
/// the manifest describes, or that the manifest does not know, is served from disk as it is now, revalidated (a warning
/// says to rebuild the server).
/// </remarks>
public static class StaticAssets
{
    public const string HashedPrefix = "assets/";
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    public static IEndpointConventionBuilder MapWebClientAssets(this IEndpointRouteBuilder routes)
    {
        var environment = routes.ServiceProvider.GetRequiredService<IWebHostEnvironment>();
        var logger = routes.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StaticAssets));
        var files = routes.CreateApplicationBuilder()
            .UseStaticFiles(new StaticFileOptions { OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache" })
            .Build();
        // The static file middleware serves only requests no endpoint has taken, and the branch ends in a 404.
        RequestDelegate fromDisk = http =>
        {
            http.SetEndpoint(null);
            return files(http);
        };
        var hashes = new ConcurrentDictionary<string, string?>();

        var assets = routes.MapStaticAssets();
        assets.Add(endpoint =>
        {
            var asset = endpoint.Metadata.OfType<StaticAssetDescriptor>().FirstOrDefault();
            if (asset is null || endpoint.RequestDelegate is not { } serve) return;

            var (file, expected) = Original(asset);
            if (hashes.GetOrAdd(file, path => Hash(environment, path)) != expected)
            {
                logger.LogWarning("wwwroot/{File} differs from the static assets manifest (web client rebuilt after the server): served from disk, uncached; rebuild the server",
                    file);
                endpoint.RequestDelegate = fromDisk;
                return;
            }

            if (!asset.Route.StartsWith(HashedPrefix, StringComparison.Ordinal)) return;

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

        // Files the manifest does not know at all (new hashed names from a later Vite build), from disk; anything else 404.
        routes.MapFallback("{**path:file}", http =>
        {
            logger.LogWarning("{Path} is not in the static assets manifest: served from disk if it exists; rebuild the server", http.Request.Path);
            return fromDisk(http);
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).ExcludeFromDescription();
        return assets;
    }

    /// <summary>The wwwroot file an endpoint stands for and the ETag (SHA-256) the build saw; a Brotli or gzip copy is
    /// named after its original with .br or .gz, and records the original's ETag as "original-resource".</summary>
    private static (string File, string? ETag) Original(StaticAssetDescriptor asset)
    {
        var original = asset.Properties.FirstOrDefault(p => p.Name == "original-resource")?.Value;
        if (original is null)
        {
            return (asset.AssetPath, asset.ResponseHeaders.FirstOrDefault(h => h.Name == "ETag")?.Value);
        }

        return (Path.ChangeExtension(asset.AssetPath, null), original);
    }

    private static string? Hash(IWebHostEnvironment environment, string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory) return null;
        using var stream = file.CreateReadStream();
        return $"\"{Convert.ToBase64String(SHA256.HashData(stream))}\"";
    }
}
