using System.Security.Cryptography;
using Bousai.Domain.Accounts;
using Bousai.Server.Accounts;
using Bousai.Server.Geodata;
using Bousai.Server.Store;

namespace Bousai.Server;

/// <summary>Operator commands run by ./bousai: migrate, import, user add/disable/enable, setup, export. Each prints a clear error and exits non-zero on bad input.</summary>
public static class Commands
{
    private static readonly string[] Names = ["migrate", "import", "user", "setup", "export"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    private static string Actor => $"system:{Environment.UserName}";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddBousaiCore();
        builder.Services.AddAccounts(builder.Configuration);
        using var host = builder.Build();
        var services = host.Services;
        try
        {
            return args[0] switch
            {
                "migrate" => await MigrateAsync(services),
                "import" => await ImportAsync(services, args[1..]),
                "user" when args.Length > 1 && args[1] == "add" => await AddUserAsync(services, args[2..]),
                "user" when args.Length == 3 && args[1] is "disable" or "enable" => await DisableUserAsync(services, args[2], args[1] == "disable"),
                "setup" => await SetupAsync(services, args[1..]),
                "export" when args.Length > 1 => await ExportAsync(services, args[1..]),
                _ => Usage($"Unknown command: {string.Join(' ', args)}"),
            };
        }
        catch (GeodataImportException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>The public view as it is now, written once as static files (the server writes it on every change when PublicExport:Directory is set).</summary>
    private static async Task<int> ExportAsync(IServiceProvider services, string[] args)
    {
        var directory = Path.GetFullPath(args[0]);
        string? Option(string name)
        {
            var at = Array.IndexOf(args, name);
            return at > 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        var webRoot = Option("--web-root");
        var configuration = services.GetRequiredService<IConfiguration>();
        var baseUrl = Option("--base-url") ?? configuration["PublicExport:BaseUrl"] ?? "http://localhost";
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out _)) throw new ArgumentException($"--base-url must be an absolute address; got '{baseUrl}'.");
        var (template, text) = webRoot is not null && Directory.Exists(webRoot)
            ? PublicView.PublicRendering.ReadWebBuild(new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(webRoot)))
            : (null, null);
        if (template is null || text is null)
        {
            Console.Error.WriteLine($"warning: no public.html / public-messages.json under '{webRoot}': the pages are left out (build the web client first)");
        }

        var db = services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var time = TimeProvider.System;
        var snapshot = await new Live.SituationSnapshots(db, time).LoadAsync(Live.Audience.Public, CancellationToken.None);
        var geodata = await PublicView.PublicGeodata.LoadAsync(db, CancellationToken.None);
        var rendering = new PublicView.PublicRendering(
            new PublicView.PublicPicture(snapshot, geodata, configuration.GetValue<bool>("Demo:Simulated")), template, text);
        var cap = configuration.GetSection("Cap").Get<Cap.CapOptions>() ?? new Cap.CapOptions();
        var mapFont = (configuration.GetSection("SituationReport").Get<SituationReport.SituationReportOptions>() ?? new SituationReport.SituationReportOptions()).MapFont;
        byte[]? map = null;
        if (File.Exists(mapFont))
        {
            map = SituationReport.SituationReports.DrawPublicMap(await SituationReport.MapGeodata.LoadAsync(db, CancellationToken.None), rendering.Picture,
                time.GetUtcNow(), mapFont);
        }
        else
        {
            Console.Error.WriteLine($"warning: no map font at '{mapFont}' (fonts-noto-cjk): the page's map is left out");
        }

        var files = await PublicView.PublicExportWriter.WriteAsync(directory, rendering, db, cap, baseUrl, webRoot, time.GetUtcNow(), CancellationToken.None, map);
        Console.WriteLine($"wrote the public view after event {snapshot.Seq} to {directory}: {files.Count} files");
        return 0;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine("""
            usage:
              migrate
              import FILE [--layer LAYER]        GeoJSON or Shapefile; LAYER from the file name when omitted
              user add NAME --role ROLE --name "表示名" [--shelter ID]...   password read from BOUSAI_PASSWORD or generated
              user disable NAME | user enable NAME   a disabled account cannot sign in, and its open sessions end within seconds
              setup --geodata DIR --demo-logins FILE
              export DIR [--web-root DIR] [--base-url URL]   the public view as static files (pages, text-only pages, JSON, CAP)
            """);
        return 2;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services)
    {
        var applied = await services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        Console.WriteLine(applied.Count == 0 ? "Schema is current." : $"Applied: {string.Join(", ", applied)}");
        return 0;
    }

    private static async Task<int> ImportAsync(IServiceProvider services, string[] args)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--"));
        if (file is null)
        {
            return Usage("import needs a FILE");
        }

        var layerId = Option(args, "--layer") ?? LayerFromFileName(file);
        var layer = layerId is null ? null : MapLayers.Find(layerId);
        if (layer is null)
        {
            return Usage($"Cannot tell the layer of '{file}'{(layerId is null ? "" : $" ('{layerId}' is not a layer)")}: " +
                         $"give --layer {string.Join("|", MapLayers.All.Select(l => l.Id))}");
        }

        await services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        await ImportFileAsync(services, file, layer);
        return 0;
    }

    private static async Task ImportFileAsync(IServiceProvider services, string file, MapLayer layer)
    {
        var importer = services.GetRequiredService<GeodataImporter>();
        var report = await importer.ImportAsync(file, layer, Actor, p =>
        {
            if (p.Total is null || p.Total >= 1000) Console.Error.WriteLine($"  {Path.GetFileName(file)}: {p.Stage} {p.Done}{(p.Total is null ? "" : $"/{p.Total}")}");
        });
        foreach (var warning in report.Warnings) Console.Error.WriteLine($"  warning: {warning}");
        Console.WriteLine($"{report.Source} → {report.Layer}: {report.Features} features from {report.Crs} " +
                          $"({report.Inserted} new, {report.Updated} updated, {report.Removed} removed)");
    }

    /// <summary>Our files are named after their layer; 国土数値情報 files after their dataset code.</summary>
    internal static string? LayerFromFileName(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        if (MapLayers.Find(name) is { } layer) return layer.Id;
        if (name.StartsWith("A31", StringComparison.OrdinalIgnoreCase)) return MapLayers.FloodZones.Id;
        if (name.StartsWith("A33", StringComparison.OrdinalIgnoreCase)) return MapLayers.LandslideZones.Id;
        if (name.StartsWith("N03", StringComparison.OrdinalIgnoreCase)) return MapLayers.Boundary.Id;
        return null;
    }

    private static async Task<int> AddUserAsync(IServiceProvider services, string[] args)
    {
        var userName = args.FirstOrDefault(a => !a.StartsWith("--"));
        var role = Option(args, "--role");
        var displayName = Option(args, "--name");
        if (userName is null || role is null || displayName is null)
        {
            return Usage("user add needs NAME, --role and --name");
        }

        var given = Environment.GetEnvironmentVariable("BOUSAI_PASSWORD");
        var generated = string.IsNullOrEmpty(given);
        var password = generated ? GeneratePassword() : given!;
        var account = await services.GetRequiredService<StaffAccounts>().SaveAsync(
            new NewStaffAccount(userName, displayName, role, password, Options(args, "--shelter")), Actor, replaceExisting: false, CancellationToken.None);
        Console.WriteLine($"Created {account.UserName} ({Roles.NameJa(account.Role)} / {account.Role})" + (generated ? $", password: {password}" : ""));
        return 0;
    }

    private static async Task<int> DisableUserAsync(IServiceProvider services, string userName, bool disabled)
    {
        await services.GetRequiredService<StaffAccounts>().SetDisabledAsync(userName, disabled, Actor, CancellationToken.None);
        Console.WriteLine($"{(disabled ? "Disabled" : "Enabled")} {userName}");
        return 0;
    }

    /// <summary>What ./bousai up runs before the server: migrations, the shipped geodata, and one demo login per role.</summary>
    private static async Task<int> SetupAsync(IServiceProvider services, string[] args)
    {
        var geodata = Option(args, "--geodata") ?? throw new ArgumentException("setup needs --geodata DIR");
        var loginsFile = Option(args, "--demo-logins") ?? throw new ArgumentException("setup needs --demo-logins FILE");
        await MigrateAsync(services);

        // Stations reference nothing and shelters are referenced by accounts, so order only matters for readability.
        foreach (var layer in MapLayers.All)
        {
            var file = Path.Combine(geodata, layer.Id + ".geojson");
            if (!File.Exists(file)) continue;
            // Once imported, stations and their thresholds are maintained by admins through the API; setup never overwrites them.
            if (layer == MapLayers.Stations && await AnyStationAsync(services))
            {
                Console.WriteLine("stations: kept as they are (maintained through /api/admin/stations; ./bousai import replaces them)");
                continue;
            }

            await ImportFileAsync(services, file, layer);
        }

        await EnsureDemoLoginsAsync(services.GetRequiredService<StaffAccounts>(), loginsFile);
        return 0;
    }

    private static async Task<bool> AnyStationAsync(IServiceProvider services)
    {
        await using var command = services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("SELECT EXISTS (SELECT 1 FROM stations)");
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static readonly (string UserName, string DisplayName, string Role, string[] Shelters)[] DemoLogins =
    [
        ("hq", "本部 デモ", Roles.Hq, []),
        ("field", "現地班 デモ", Roles.Field, []),
        ("shelter", "避難所担当 デモ", Roles.Shelter, ["takahata-shelter-09", "takahata-shelter-18"]),
        ("admin", "管理者 デモ", Roles.Admin, []),
    ];

    /// <summary>Generates demo passwords on first run. The database keeps only hashes; the operator's copy stays in a 0600 file under .bousai/.</summary>
    private static async Task EnsureDemoLoginsAsync(StaffAccounts accounts, string loginsFile)
    {
        var known = File.Exists(loginsFile)
            ? File.ReadAllLines(loginsFile).Select(l => l.Split('\t')).Where(p => p.Length == 3).ToDictionary(p => p[0], p => p[2])
            : new Dictionary<string, string>();
        var lines = new List<string>();
        foreach (var (userName, displayName, role, shelters) in DemoLogins)
        {
            if (!known.TryGetValue(userName, out var password) || !await accounts.ExistsAsync(userName, CancellationToken.None))
            {
                password = GeneratePassword();
                await accounts.SaveAsync(new NewStaffAccount(userName, displayName, role, password, shelters), Actor, replaceExisting: true,
                    CancellationToken.None);
            }

            lines.Add($"{userName}\t{role}\t{password}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(loginsFile))!);
        await File.WriteAllLinesAsync(loginsFile, lines);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(loginsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static List<string> Options(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();
}
