using Bousai.Server.Web;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Bousai.Server.PublicView;

/// <summary>
/// The public view's answers, all from memory: /public and /public/en (the page, complete without JavaScript),
/// /public/text and /public/text/en (災害時軽量版), /public/situation.json (the hub's snapshot message) and
/// /public/shelters.json. Each carries an ETag (304 on If-None-Match) and caching a CDN can follow.
/// </summary>
public static class PublicViewEndpoints
{
    /// <summary>A CDN or browser may keep an answer 5 s, serve it while fetching a fresh one for 30 s, and keep serving it for a day when the server fails.</summary>
    public const string CacheControl = "public, max-age=5, stale-while-revalidate=30, stale-if-error=86400";

    public static IServiceCollection AddPublicView(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PublicSituation>();
        services.AddHostedService(sp => sp.GetRequiredService<PublicSituation>());
        services.AddPublicExport(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapPublicView(this IEndpointRouteBuilder routes)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        // Short-circuited at routing: the middleware before routing (security headers, errors, rate limit, text-input
        // rules, compression) applies, sign-in and antiforgery (nothing to sign in to, nothing to write) do not.
        var group = routes.MapGroup("").AllowAnonymous().WithTags("Public view");
        group.ShortCircuit();
        group.MapMethods(PublicPages.FullPath, methods, (HttpContext http, PublicSituation view, TimeProvider time) =>
                http.Request.Query.TryGetValue("lang", out var lang) && lang == "en"
                    ? Results.Redirect("/public/en" + (http.Request.Query.TryGetValue("district", out var d) ? "?district=" + Uri.EscapeDataString(d.ToString()) : ""))
                    : Answer(http, view, time, PublicDocument.Page, PublicLanguage.Ja))
            .WithSummary("The public view (Japanese), rendered on the server; ?district= orders shelters from that district").ExcludeFromDescription();
        group.MapMethods("/public/en", methods, (HttpContext http, PublicSituation view, TimeProvider time) =>
            Answer(http, view, time, PublicDocument.Page, PublicLanguage.En)).ExcludeFromDescription();
        group.MapMethods(PublicPages.TextPath, methods, (HttpContext http, PublicSituation view, TimeProvider time) =>
            Answer(http, view, time, PublicDocument.Text, PublicLanguage.Ja)).ExcludeFromDescription();
        group.MapMethods(PublicPages.TextPath + "/en", methods, (HttpContext http, PublicSituation view, TimeProvider time) =>
            Answer(http, view, time, PublicDocument.Text, PublicLanguage.En)).ExcludeFromDescription();
        group.MapMethods(PublicPages.TextStylePath, methods, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return TypedResults.Text(PublicPages.TextStyle, "text/css; charset=utf-8");
        }).ExcludeFromDescription();
        group.MapMethods("/public/situation.json", methods, (HttpContext http, PublicSituation view, TimeProvider time) =>
                Answer(http, view, time, PublicDocument.SituationJson, PublicLanguage.Ja))
            .WithSummary("The public situation: the same snapshot message the public hub sends first");
        group.MapMethods("/public/shelters.json", methods, (HttpContext http, PublicSituation view, TimeProvider time) =>
                Answer(http, view, time, PublicDocument.SheltersJson, PublicLanguage.Ja))
            .WithSummary("Every shelter with its live public state (open, crowding band, head count, space) as GeoJSON");
        return routes;
    }

    private static IResult Answer(HttpContext http, PublicSituation view, TimeProvider time, PublicDocument document, PublicLanguage language)
    {
        if (view.Current is not { } current)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Starting",
                detail: "The public view is taking its first picture of the situation; try again in a few seconds.");
        }

        if (document is PublicDocument.Page or PublicDocument.Text && !current.HasPages)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Web client not built",
                detail: "wwwroot has no public.html or public-messages.json: run `./bousai up` (or `npm run build` in web/).");
        }

        PublicDistrict? from = null;
        if (document is PublicDocument.Page or PublicDocument.Text && http.Request.Query.TryGetValue("district", out var district) && district.ToString() != "")
        {
            from = current.Picture.Geodata.District(district.ToString());
            if (from is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown district",
                    detail: $"There is no district '{district}'. Districts: {string.Join(", ", current.Picture.Geodata.Districts.Select(d => d.Id))}.");
            }
        }

        var rendered = current.Render(document, language, from, time.GetUtcNow());
        var headers = http.Response.Headers;
        headers.ETag = rendered.ETag;
        headers.CacheControl = CacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (ConditionalGet.IsNotModified(http, rendered.ETag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);

        var (body, encoding) = Encoding(http.Request.Headers.AcceptEncoding) switch
        {
            "br" => (rendered.Brotli, "br"),
            "gzip" => (rendered.Gzip, "gzip"),
            _ => (rendered.Identity, null),
        };
        if (encoding is not null) headers.ContentEncoding = encoding;
        return TypedResults.Bytes(body, rendered.ContentType);
    }

    /// <summary>Brotli when the client takes it, else gzip, else none (a q=0 refuses a coding).</summary>
    public static string? Encoding(StringValues acceptEncoding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var codings)) return null;
        bool Takes(string coding) => codings.Any(c => c.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && (c.Quality ?? 1) > 0);
        return Takes("br") ? "br" : Takes("gzip") ? "gzip" : null;
    }
}
