using Microsoft.Net.Http.Headers;

namespace Bousai.Server.Web;

/// <summary>ETag / If-None-Match for read endpoints: clients revalidate every time and get 304 when nothing changed.</summary>
public static class ConditionalGet
{
    public static bool IsNotModified(HttpContext http, string etag)
    {
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        var current = EntityTagHeaderValue.Parse(etag);
        return ifNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(current, useStrongComparison: false));
    }

    public static void SetValidators(HttpContext http, string etag)
    {
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "no-cache";
    }

    public static IResult NotModified(HttpContext http, string etag)
    {
        SetValidators(http, etag);
        return TypedResults.StatusCode(StatusCodes.Status304NotModified);
    }
}
