using Bousai.Server.Accounts;
using Bousai.Server.Geodata;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Support;

/// <summary>The real server (ASP.NET Core test host) on its own fresh PostGIS database, with the shipped geodata and one account per role.</summary>
public sealed class BousaiApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct-horse-battery";
    private readonly TestDatabase _database = new();
    private readonly bool _kestrel;

    public BousaiApp() : this(kestrel: false) { }

    private BousaiApp(bool kestrel)
    {
        _kestrel = kestrel;
        if (kestrel) UseKestrel(0);
    }

    /// <summary>A copy listening on a real loopback port, for the browser.</summary>
    public static BousaiApp OnKestrel() => new(kestrel: true);

    public TestDatabase Database => _database;

    public IReadOnlyDictionary<string, string> Accounts { get; } = new Dictionary<string, string>
    {
        ["hq"] = "hq", ["field"] = "field", ["shelter"] = "shelter", ["admin"] = "admin",
    };

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Bousai", _database.ConnectionString);
        builder.UseSetting("Map:BasemapUrl", "");
        builder.UseSetting("Accounts:MaxFailedAttempts", "3");
        builder.UseEnvironment("Production");
    }

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        if (_kestrel) StartServer(); else _ = Server;
        var importer = Services.GetRequiredService<GeodataImporter>();
        foreach (var layer in MapLayers.All)
        {
            await importer.ImportAsync(Repository.Geodata(layer.Id + ".geojson"), layer, "test");
        }

        var accounts = Services.GetRequiredService<StaffAccounts>();
        foreach (var role in Accounts.Keys)
        {
            await accounts.SaveAsync(new NewStaffAccount(role, $"{role} テスト", role, Password,
                role == "shelter" ? ["takahata-shelter-09"] : []), "test", replaceExisting: true, CancellationToken.None);
        }
    }

    /// <summary>An HTTP client that keeps cookies but does not follow redirects, so tests see them.</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<HttpClient> SignedInClientAsync(string userName)
    {
        var client = Client();
        var response = await client.SignInAsync(userName, Password);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }
}
