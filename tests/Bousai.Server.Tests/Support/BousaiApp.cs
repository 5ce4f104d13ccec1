using System.Net;
using Bousai.Server.Accounts;
using Bousai.Server.Geodata;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Support;

/// <summary>The real server (ASP.NET Core test host) on its own fresh PostGIS database, with the shipped geodata and one account per role.</summary>
public sealed class BousaiApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct-horse-battery";
    /// <summary>Ingestion's own credential (Mqtt:Username/Password).</summary>
    public const string IngestUser = "bousai-ingest";
    public const string IngestPassword = "test-ingest-password";

    /// <summary>The gauges' shared credential (Mqtt:Gauges), as the simulator's.</summary>
    public const string SensorUser = "sensors";
    public const string SensorPassword = "test-sensor-password";

    /// <summary>One gauge's own credential (Mqtt:StationCredentials:0), good for station-nakahashi only.</summary>
    public const string StationGaugeStation = "station-nakahashi";
    public const string StationGaugeUser = "gauge-nakahashi";
    public const string StationGaugePassword = "test-nakahashi-password";
    private readonly TestDatabase _database;
    private readonly bool _kestrel;
    private readonly bool _ownsDatabase;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly TimeSpan _clockAhead;

    public BousaiApp() : this(kestrel: false, database: null, settings: null) { }

    private BousaiApp(bool kestrel, TestDatabase? database, IReadOnlyDictionary<string, string>? settings, TimeSpan clockAhead = default)
    {
        _kestrel = kestrel;
        _clockAhead = clockAhead;
        _ownsDatabase = database is null;
        _database = database ?? new TestDatabase();
        _settings = settings ?? new Dictionary<string, string>();
        if (kestrel) UseKestrel(0);
    }

    /// <summary>A copy listening on a real loopback port, for the browser and for hub clients.</summary>
    public static BousaiApp OnKestrel(IReadOnlyDictionary<string, string>? settings = null) => new(kestrel: true, database: null, settings);

    /// <summary>
    /// Another server instance on its own port sharing this one's database, as behind a load balancer; with
    /// <paramref name="clockAhead"/>, its clock runs that far ahead (the same server a day later, say); <paramref name="settings"/> go on top of this one's.
    /// </summary>
    public BousaiApp AnotherInstance(TimeSpan clockAhead = default, IReadOnlyDictionary<string, string>? settings = null)
    {
        var merged = new Dictionary<string, string>(_settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) merged[key] = value;
        return new BousaiApp(kestrel: true, _database, merged, clockAhead);
    }

    public TestDatabase Database => _database;

    /// <summary>Ingestion's client id on this instance's embedded broker (Mqtt:ClientId).</summary>
    public string IngestClientId { get; } = "bousai-ingest-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The port of this instance's embedded MQTT broker (unless the settings name an external one).</summary>
    public int MqttPort { get; } = Bousai.Testing.FreePorts.Next();

    public IReadOnlyDictionary<string, string> Accounts { get; } = new Dictionary<string, string>
    {
        ["hq"] = "hq", ["field"] = "field", ["shelter"] = "shelter", ["admin"] = "admin",
    };

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Bousai", _database.ConnectionString);
        builder.UseSetting("Map:BasemapUrl", "");
        // Tests sign in often from one address (the test host has none); the sign-in limit tests set their own limits.
        builder.UseSetting("Accounts:SignInsPerAddress", "10000");
        builder.UseSetting("Accounts:SignInsPerAccount", "10000");
        // Likewise every request of a test comes from one address; the rate limit tests set small limits of their own.
        builder.UseSetting("RateLimits:TokensPerSecond", "100000");
        builder.UseSetting("RateLimits:Burst", "1000000");
        // Residents' phones are played by a push service on loopback (Bousai.Testing.Push).
        builder.UseSetting("Notifications:AllowLoopbackServices", "true");
        builder.UseSetting("Mqtt:Port", MqttPort.ToString());
        builder.UseSetting("Mqtt:Username", IngestUser);
        builder.UseSetting("Mqtt:Password", IngestPassword);
        builder.UseSetting("Mqtt:Gauges:Username", SensorUser);
        builder.UseSetting("Mqtt:Gauges:Password", SensorPassword);
        builder.UseSetting("Mqtt:StationCredentials:0:StationId", StationGaugeStation);
        builder.UseSetting("Mqtt:StationCredentials:0:Username", StationGaugeUser);
        builder.UseSetting("Mqtt:StationCredentials:0:Password", StationGaugePassword);
        builder.UseSetting("Mqtt:ClientId", IngestClientId);
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_clockAhead != TimeSpan.Zero)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new ClockAhead(_clockAhead)));
        }
    }

    private sealed class ClockAhead(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }

    public async Task InitializeAsync()
    {
        if (!_ownsDatabase)
        {
            StartServer();
            return;
        }

        await _database.InitializeAsync();
        if (_kestrel) StartServer(); else _ = Server;
        var importer = Services.GetRequiredService<GeodataImporter>();
        foreach (var layer in MapLayers.All)
        {
            await importer.ImportAsync(Repository.Geodata(layer.Id + ".geojson"), layer, "test");
        }

        // Ready when the public view (and the shared public snapshot residents start from) has the imported geodata.
        var revision = await Bousai.Server.Geodata.GeodataRevision.ReadAsync(Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(
                Services.GetRequiredService<Bousai.Server.PublicView.PublicSituation>().Current?.Picture.Geodata.Revision == revision),
            "the public view to take in the imported geodata");

        var accounts = Services.GetRequiredService<StaffAccounts>();
        foreach (var role in Accounts.Keys)
        {
            await accounts.SaveAsync(new NewStaffAccount(role, $"{role} テスト", role, Password,
                role == "shelter" ? ["takahata-shelter-09"] : []), "test", replaceExisting: true, CancellationToken.None);
        }
    }

    /// <summary>An HTTP client that keeps cookies but does not follow redirects, so tests see them.</summary>
    public HttpClient Client() => _kestrel
        ? new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress }
        : CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

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

    /// <summary>A gauge publishing to this instance's embedded broker, once ingestion has subscribed (so nothing published is missed).</summary>
    public async Task<Bousai.Testing.GaugePublisher> GaugeAsync()
    {
        await Eventually.TrueAsync(() => Task.FromResult(Services.GetRequiredService<Bousai.Server.Sensors.ReadingIngester>().IsConnected),
            "ingestion to subscribe");
        return await Bousai.Testing.GaugePublisher.ConnectAsync(MqttPort, SensorUser, SensorPassword, "gauge-" + Guid.NewGuid().ToString("N")[..8]);
    }

    /// <summary>The session cookie of a signed-in staff member, for hub connections to the real port.</summary>
    public async Task<CookieContainer> SignedInCookiesAsync(string userName)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        var response = await client.SignInAsync(userName, Password);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode}");
        }

        return cookies;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_ownsDatabase) await _database.DisposeAsync();
    }
}
