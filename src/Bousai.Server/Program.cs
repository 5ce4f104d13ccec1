using Bousai.Server;
using Bousai.Server.Accounts;
using Bousai.Server.Alerts;
using Bousai.Server.Cap;
using Bousai.Server.Drills;
using Bousai.Server.Evacuation;
using Bousai.Server.Geodata;
using Bousai.Server.Health;
using Bousai.Server.Live;
using Bousai.Server.Notifications;
using Bousai.Server.OfficialWarnings;
using Bousai.Server.OgcApi;
using Bousai.Server.PublicView;
using Bousai.Server.Reports;
using Bousai.Server.Sensors;
using Bousai.Server.Shelters;
using Bousai.Server.SituationReport;
using Bousai.Server.Store;
using Bousai.Server.Web;
using Prometheus;

if (Commands.IsCommand(args))
{
    return await Commands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBousaiCore();
builder.Services.AddAccounts(builder.Configuration);
builder.Services.Configure<MapOptions>(builder.Configuration.GetSection("Map"));
builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection("Demo"));
builder.Services.AddLive(builder.Configuration);
builder.Services.AddSensors(builder.Configuration);
builder.Services.AddThresholdAlerts(builder.Configuration);
builder.Services.AddOfficialWarnings(builder.Configuration);
builder.Services.AddEvacuationRecommendations();
builder.Services.AddCap(builder.Configuration);
builder.Services.AddPublicView(builder.Configuration);
builder.Services.AddResidentNotifications(builder.Configuration);
builder.Services.AddSituationReport(builder.Configuration);
builder.Services.AddOgcApi();
builder.Services.ConfigureHttpJsonOptions(options => BousaiJson.Configure(options.SerializerOptions));
builder.Services.AddProblemDetails();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<BadRequestProblems>();
builder.Services.AddOpenApi(options => options.DescribeBousai());
builder.Services.AddBousaiResponseCompression();
builder.Services.AddRateLimits(builder.Configuration);
// The Brotli and gzip copies made by the build live beside wwwroot (obj/.../compressed) until publish; the build's
// runtime manifest adds them to the web root. A published app has no such manifest and this does nothing.
builder.WebHost.UseStaticWebAssets();

var app = builder.Build();
await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();

// Forwarded headers (ASPNETCORE_FORWARDEDHEADERS_ENABLED) are applied before all of these, so scheme, host and client
// address are the browser's: the origin check, the Secure cookie and the rate limit see what the browser sees.
// Everything up to UseRouting also applies to endpoints marked ShortCircuit() (the public view), which skip the
// middleware after it. Nothing before routing reads a request body other than the small sign-in form: an endpoint's
// own body size limit (a field report's photos) takes effect at routing.
app.UseSecurityHeaders();
app.UseResponseCompression();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSameOriginRequests();
app.UseQueryTextRules();
app.UseSignInLimits();
app.UseRateLimits();
app.UseRouting();
app.UseFormTextRules();
app.UseHttpMetrics();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapWebClientAssets();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealth();
app.MapMetrics("/metrics");
app.MapAccountApi();
app.MapLayerApi();
app.MapShelterStatusApi();
app.MapNearestShelterApi();
app.MapHazardApi();
app.MapShelterOpenData();
app.MapEvacuationApi();
app.MapEvacuationRecommendationApi();
app.MapFieldReportApi();
app.MapAlertApi();
app.MapAlertRuleApi();
app.MapDrillApi();
app.MapOfficialWarningApi();
app.MapStationApi();
app.MapCapFeed();
app.MapPublicView();
app.MapSituationReportApi();
app.MapNotificationApi();
app.MapSituationHistoryApi();
app.MapOgcApi();
app.MapVectorTiles();
app.MapLiveHubs();
app.MapClientPages(app.Environment);

app.Run();
return 0;

/// <summary>Entry point type for the ASP.NET Core test host.</summary>
public partial class Program;
