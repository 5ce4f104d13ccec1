using System.Text;
using Bousai.Server.Cap;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.PublicView;

/// <summary>Configuration section "PublicExport".</summary>
public sealed class PublicExportOptions
{
    /// <summary>Where the server writes the public view as static files on every change; empty: no export.</summary>
    public string Directory { get; set; } = "";

    /// <summary>The address residents reach the export at, for the CAP feed's absolute links (e.g. https://bousai.example.jp).</summary>
    public string BaseUrl { get; set; } = "http://localhost";

    /// <summary>The CAP feed is written by its reconciler just after a change: the export also looks again this often.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The public view as static files, so a second web server or a CDN origin serves the last known state when this
/// server is down: the pages (ja, en), the text-only pages, the JSON, the CAP feed and messages, and the page's assets,
/// laid out as their URLs (serve with try_files $uri $uri/index.html). Each file is written to a temporary name and
/// renamed, so a reader never sees half a file; unchanged files are left alone.
/// </summary>
public static class PublicExportWriter
{
    /// <param name="map">The page's map (/public/map.png) of this picture, when it could be drawn.</param>
    public static async Task<IReadOnlyList<string>> WriteAsync(string directory, PublicRendering rendering, NpgsqlDataSource db, CapOptions cap,
        string baseUrl, string? webRoot, DateTimeOffset now, CancellationToken ct, byte[]? map = null)
    {
        var files = new List<string>();
        async Task Put(string path, byte[] bytes)
        {
            files.Add(path);
            var target = Path.Combine(directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target) && (await File.ReadAllBytesAsync(target, ct)).AsSpan().SequenceEqual(bytes)) return;
            var temporary = target + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            await File.WriteAllBytesAsync(temporary, bytes, ct);
            File.Move(temporary, target, overwrite: true);
        }

        if (rendering.HasPages)
        {
            foreach (var (document, language, path) in new[]
                     {
                         (PublicDocument.Page, PublicLanguage.Ja, "public/index.html"), (PublicDocument.Page, PublicLanguage.En, "public/en/index.html"),
                         (PublicDocument.Text, PublicLanguage.Ja, "public/text/index.html"), (PublicDocument.Text, PublicLanguage.En, "public/text/en/index.html"),
                     })
            {
                await Put(path, rendering.Render(document, language, null, now).Identity);
            }
        }

        await Put("public/text.css", Encoding.UTF8.GetBytes(PublicPages.TextStyle));
        if (map is not null) await Put("public/map.png", map);
        await Put("public/situation.json", rendering.Render(PublicDocument.SituationJson, PublicLanguage.Ja, null, now).Identity);
        await Put("public/shelters.json", rendering.Render(PublicDocument.SheltersJson, PublicLanguage.Ja, null, now).Identity);

        var entries = await CapStore.ReadFeedAsync(db, now, cap.CancelKeptFor, ct);
        var root = baseUrl.TrimEnd('/');
        await Put("cap/feed.atom", Encoding.UTF8.GetBytes(CapEndpoints.FeedDocument(entries, cap, path => root + path)));
        foreach (var entry in entries)
        {
            if (await CapStore.ReadXmlAsync(db, entry.Identifier, ct) is { } xml) await Put($"cap/messages/{entry.Identifier}.xml", Encoding.UTF8.GetBytes(xml));
        }

        // The page's scripts and styles (content-hashed names: copied once, never changed), and its home-screen manifests
        // and icons (fixed names: copied each time, they are small).
        if (webRoot is not null)
        {
            var copies = new[] { "assets", "icons", "notifications" }
                .Select(folder => Path.Combine(webRoot, folder))
                .Where(System.IO.Directory.Exists)
                .SelectMany(System.IO.Directory.EnumerateFiles)
                .Concat(System.IO.Directory.EnumerateFiles(webRoot, "public-app*.webmanifest"));
            foreach (var file in copies)
            {
                var path = Path.GetRelativePath(webRoot, file).Replace('\\', '/');
                files.Add(path);
                var target = Path.Combine(directory, path);
                if (path.StartsWith("assets/", StringComparison.Ordinal) && File.Exists(target)) continue;
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var temporary = target + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                File.Copy(file, temporary, overwrite: true);
                File.Move(temporary, target, overwrite: true);
            }
        }

        var manifest = System.Text.Json.JsonSerializer.Serialize(new
        {
            seq = rendering.Picture.Snapshot.Seq, snapshotAt = rendering.Picture.Snapshot.At, writtenAt = now, files,
        }, BousaiJson.Options);
        await Put("export.json", Encoding.UTF8.GetBytes(manifest));
        return files;
    }
}

/// <summary>Writes the export on every new public picture (and every <see cref="PublicExportOptions.RefreshInterval"/>) while PublicExport:Directory is set.</summary>
public sealed class PublicExport(
    PublicSituation view,
    NpgsqlDataSource db,
    IOptions<PublicExportOptions> options,
    IOptions<CapOptions> cap,
    IWebHostEnvironment environment,
    SituationReport.SituationReports reports,
    TimeProvider time,
    ILogger<PublicExport> logger) : BackgroundService
{
    private long _written = -1;

    /// <summary>The log position of the last export written (for tests and health).</summary>
    public long WrittenSeq => Interlocked.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Directory == "") return;
        await view.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = view.Changed;
            try
            {
                var current = view.Current!;
                var map = await reports.PublicMap(current.Picture).Png.WaitAsync(stoppingToken);
                await PublicExportWriter.WriteAsync(o.Directory, current, db, cap.Value, o.BaseUrl, environment.WebRootPath, time.GetUtcNow(), stoppingToken, map);
                Interlocked.Exchange(ref _written, current.Picture.Snapshot.Seq);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Public export to {Directory} failed; trying again at the next change", o.Directory);
            }

            await ((Task)Task.WhenAny(changed, Task.Delay(o.RefreshInterval, time, stoppingToken))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

public static class PublicExportRegistration
{
    public static IServiceCollection AddPublicExport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublicExportOptions>().Bind(configuration.GetSection("PublicExport"))
            .Validate(o => o.RefreshInterval > TimeSpan.Zero && Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _),
                "PublicExport: RefreshInterval must be positive and BaseUrl an absolute address.")
            .ValidateOnStart();
        services.AddSingleton<PublicExport>();
        services.AddHostedService(sp => sp.GetRequiredService<PublicExport>());
        return services;
    }
}
