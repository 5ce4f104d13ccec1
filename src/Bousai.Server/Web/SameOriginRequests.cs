namespace Bousai.Server.Web;

/// <summary>
/// Cross-site request forgery protection for the whole server, in one place: every state-changing request (any method but
/// GET, HEAD and OPTIONS, on every path) and every request to the staff hub (negotiate, WebSocket upgrade, long polling)
/// must come from this server's own origin. A page on another origin of the same site (another port or subdomain) gets
/// the session cookie even when it is SameSite=Strict, and the browser says where it comes from: Origin, or
/// Sec-Fetch-Site when it sends no Origin. Clients that are not browsers (HttpClient, curl, the gauges) send
/// neither and are not affected.
/// </summary>
public static partial class SameOriginRequests
{
    /// <summary>The staff hub: a GET there opens a stream of the whole staff situation, so it is guarded like a write.</summary>
    private const string StaffHub = "/hubs/situation";

    public static IApplicationBuilder UseSameOriginRequests(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (!IsGuarded(request.Method, request.Path)
            || Allows(request.Headers.Origin.ToString(), request.Headers["Sec-Fetch-Site"].ToString(), request.Scheme, request.Host))
        {
            await next(http);
            return;
        }

        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SameOriginRequests))
            .LogRefused(request.Method, request.Path, request.Headers.Origin.ToString(), request.Headers["Sec-Fetch-Site"].ToString());
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Cross-origin request refused",
                Detail = "This request came from a page that is not this server's own; it changes nothing and reads nothing.",
            },
        });
    });

    public static bool IsGuarded(string method, PathString path) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) || path.StartsWithSegments(StaffHub);

    /// <summary>
    /// Origin equal to the request's own scheme://host[:port] (as the forwarded headers make it); without Origin,
    /// Sec-Fetch-Site absent, same-origin or none (typed in, bookmarks). "null" and every other origin are refused.
    /// </summary>
    public static bool Allows(string origin, string fetchSite, string scheme, HostString host)
    {
        if (origin.Length > 0)
        {
            return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && uri.AbsolutePath == "/" && uri.Query.Length == 0
                && string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase)
                && uri.Port == (host.Port ?? DefaultPort(scheme));
        }

        return fetchSite.Length == 0 || fetchSite is "same-origin" or "none";
    }

    private static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused a cross-origin {Method} {Path} (Origin {Origin}, Sec-Fetch-Site {FetchSite})")]
    private static partial void LogRefused(this ILogger logger, string method, string path, string origin, string fetchSite);
}
