using Bousai.Server.Accounts;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Bousai.Server.Web;

public sealed class MapOptions
{
    /// <summary>XYZ raster basemap; empty means none (the vector geodata alone). Production: the GSI standard map.</summary>
    public string BasemapUrl { get; set; } = "";
    public string BasemapAttribution { get; set; } = "<a href=\"https://maps.gsi.go.jp/development/ichiran.html\">地理院タイル</a>";
    public double[] Center { get; set; } = [140.19, 38.0];
    public double Zoom { get; set; } = 12;
}

/// <summary>Configuration section "Demo". Simulated: the gauge data come from sensors-sim, and every page must say so.</summary>
public sealed class DemoOptions
{
    public bool Simulated { get; set; }
}

/// <summary>
/// The web client built by Vite into wwwroot: the HQ map at / (staff only), the field page at /field (field crews and
/// HQ) and the shelter page at /shelter (shelter staff and HQ). The public view (/public) is rendered by PublicView/.
/// </summary>
public static class ClientPages
{
    public sealed record ClientConfig(Basemap Basemap, double[] Center, double Zoom, bool Simulated);

    public sealed record Basemap(string Url, string Attribution);

    public static IEndpointRouteBuilder MapClientPages(this IEndpointRouteBuilder routes, IWebHostEnvironment environment)
    {
        routes.MapGet("/", () => Page(environment, "index.html")).RequireAuthorization(AccountEndpoints.StaffPolicy).ExcludeFromDescription();
        routes.MapGet("/field", () => Page(environment, "field.html")).RequireAuthorization(AccountEndpoints.ReportingPolicy).ExcludeFromDescription();
        routes.MapGet("/shelter", () => Page(environment, "shelter.html")).RequireAuthorization(AccountEndpoints.ShelterKeepingPolicy).ExcludeFromDescription();
        routes.MapGet("/api/config", (IOptions<MapOptions> map, IOptions<DemoOptions> demo) =>
                TypedResults.Ok(new ClientConfig(new Basemap(map.Value.BasemapUrl, map.Value.BasemapAttribution), map.Value.Center, map.Value.Zoom,
                    demo.Value.Simulated)))
            .AllowAnonymous().WithTags("Client").WithSummary("Map settings for the web client");
        return routes;
    }

    private static IResult Page(IWebHostEnvironment environment, string file)
    {
        var page = environment.WebRootFileProvider.GetFileInfo(file);
        if (!page.Exists)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Web client not built",
                detail: "wwwroot has no " + file + ": run `./bousai up` (or `npm run build` in web/).");
        }

        return TypedResults.Stream(page.CreateReadStream(), "text/html; charset=utf-8");
    }
}
