using System.Globalization;
using System.Text.Json.Nodes;
using Bousai.Server.Accounts;
using Bousai.Server.Geodata;
using Bousai.Server.Live;
using Bousai.Server.Web;
using Microsoft.AspNetCore.Authorization;
using Npgsql;

namespace Bousai.Server.OgcApi;

/// <summary>
/// OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) under /ogc, so QGIS, ArcGIS and GDAL add Bousai's layers
/// with their standard dialog: landing page, conformance, collections, each collection, its schema, its items (bbox,
/// datetime, limit with next links) and each feature, in JSON and HTML by Accept or f=. Staff collections need a staff
/// session; the OpenAPI 3.0 description is /openapi/ogc.json.
/// </summary>
public static class OgcEndpoints
{
    public const string Base = "/ogc";
    public const string DocumentName = "ogc";
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    public static readonly string[] ConformsTo =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    ];

    public static IServiceCollection AddOgcApi(this IServiceCollection services)
    {
        services.AddSingleton<OgcVersions>();
        services.AddSingleton<OgcExtents>();
        services.AddSingleton<BuiltTiles>();
        // The API definition of the OGC conformance class oas30: OpenAPI 3.0, these endpoints only.
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0;
            options.ShouldInclude = description => description.GroupName == DocumentName;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "防災GIS 高畠町 — OGC API – Features";
                document.Servers = [];
                return Task.CompletedTask;
            });
            // The handlers read every query parameter as text to refuse bad ones with problem details; the definition says
            // what each is (GDAL reads limit's maximum from it to choose its page size).
            options.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in operation.Parameters?.OfType<Microsoft.OpenApi.OpenApiParameter>() ?? [])
                {
                    parameter.Schema = parameter.Name switch
                    {
                        "limit" => new Microsoft.OpenApi.OpenApiSchema
                        {
                            Type = Microsoft.OpenApi.JsonSchemaType.Integer, Minimum = "1", Maximum = OgcQuery.MaxLimit.ToString(CultureInfo.InvariantCulture),
                            Default = OgcQuery.DefaultLimit,
                        },
                        "offset" => new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Integer, Minimum = "0", Default = 0 },
                        "bbox" => new Microsoft.OpenApi.OpenApiSchema
                        {
                            Type = Microsoft.OpenApi.JsonSchemaType.Array, MinItems = 4, MaxItems = 6,
                            Items = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Number },
                        },
                        "f" => new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Enum = ["json", "html"] },
                        _ => parameter.Schema,
                    };
                    if (parameter.Name == "bbox")
                    {
                        parameter.Style = Microsoft.OpenApi.ParameterStyle.Form;
                        parameter.Explode = false;
                    }
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapOgcApi(this IEndpointRouteBuilder routes)
    {
        var ogc = routes.MapGroup(Base).WithGroupName(DocumentName).WithTags("OGC API – Features");
        ogc.MapGet("/", Landing).WithSummary("Landing page");
        ogc.MapGet("/conformance", Conformance).WithSummary("The conformance classes this API implements");
        ogc.MapGet("/collections", CollectionsAsync).WithSummary("The feature collections");
        ogc.MapGet("/collections/{collectionId}", CollectionAsync).WithSummary("One feature collection");
        ogc.MapGet("/collections/{collectionId}/schema", SchemaAsync).WithSummary("The properties of the collection's features (JSON Schema)");
        ogc.MapGet("/collections/{collectionId}/items", ItemsAsync).WithSummary("The collection's features")
            .WithDescription("bbox=minLon,minLat,maxLon,maxLat (CRS84); datetime=an RFC 3339 instant or interval (start/end, .. for open), " +
                             "read on the collection's time (ignored by collections without time); limit 1 to 10,000 (default 10); " +
                             "offset as the next link gives it. Any other parameter is a 400.");
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", ItemAsync).WithSummary("One feature");
        ogc.MapGet("/ogc.css", () => TypedResults.Text(OgcHtml.Stylesheet, "text/css; charset=utf-8")).ExcludeFromDescription();
        return routes;
    }

    private static IResult Landing(HttpContext http, string? f)
    {
        if (Refused(http, OgcQuery.ResourceParameters) is { } refused) return refused;
        if (OgcFormats.Negotiate(http, f) is not { } format) return OgcFormats.UnknownFormat();
        var links = new JsonArray
        {
            Link(Url(http, ""), "self", format.MediaType, "This document"),
            Link(Url(http, "", format.Other), "alternate", format.Other.MediaType, $"This document as {format.Other.Name}"),
            Link(Absolute(http, $"/openapi/{DocumentName}.json"), "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition (OpenAPI 3.0)"),
            Link(Url(http, "/conformance"), "conformance", "application/json", "Conformance classes"),
            Link(Url(http, "/collections"), "data", "application/json", "The feature collections"),
        };
        var body = new JsonObject
        {
            ["title"] = "防災GIS 高畠町 / Bousai Takahata",
            ["description"] = "The town's disaster situation as OGC API – Features: geodata, gauges, shelters, district alert levels, official warnings and field reports.",
            ["links"] = links,
        };
        return format.IsHtml ? OgcHtml.Landing(body) : Json(body, "application/json");
    }

    private static IResult Conformance(HttpContext http, string? f)
    {
        if (Refused(http, OgcQuery.ResourceParameters) is { } refused) return refused;
        if (OgcFormats.Negotiate(http, f) is not { } format) return OgcFormats.UnknownFormat();
        var body = new JsonObject { ["conformsTo"] = new JsonArray([.. ConformsTo.Select(c => (JsonNode)c)]) };
        return format.IsHtml ? OgcHtml.Conformance(ConformsTo) : Json(body, "application/json");
    }

    private static async Task<IResult> CollectionsAsync(HttpContext http, string? f, OgcVersions versions, OgcExtents extents,
        IAuthorizationService authorization, CancellationToken ct)
    {
        if (Refused(http, OgcQuery.ResourceParameters) is { } refused) return refused;
        if (OgcFormats.Negotiate(http, f) is not { } format) return OgcFormats.UnknownFormat();
        var staff = await IsStaffAsync(http, authorization);
        var version = await versions.CurrentAsync(ct);
        var etag = $"W/\"ogc-collections-{version}-{staff}-{format.Name}\"";
        if (ConditionalGet.IsNotModified(http, etag)) return ConditionalGet.NotModified(http, etag);

        var collections = new JsonArray();
        foreach (var collection in OgcCollections.All.Where(c => staff || c.Audience == OgcAudience.Public))
            collections.Add(Describe(http, collection, await extents.ReadAsync(collection, version, ct)));
        var body = new JsonObject
        {
            ["links"] = new JsonArray
            {
                Link(Url(http, "/collections"), "self", format.MediaType, "This document"),
                Link(Url(http, "/collections", format.Other), "alternate", format.Other.MediaType, $"This document as {format.Other.Name}"),
            },
            ["collections"] = collections,
        };
        ConditionalGet.SetValidators(http, etag);
        return format.IsHtml ? OgcHtml.Collections(body) : Json(body, "application/json");
    }

    private static async Task<IResult> CollectionAsync(HttpContext http, string collectionId, string? f, OgcVersions versions, OgcExtents extents,
        IAuthorizationService authorization, CancellationToken ct)
    {
        if (Refused(http, OgcQuery.ResourceParameters) is { } refused) return refused;
        if (OgcFormats.Negotiate(http, f) is not { } format) return OgcFormats.UnknownFormat();
        if (await FindAsync(http, collectionId, authorization) is not { } collection) return Missing(http, collectionId);
        var version = await versions.CurrentAsync(ct);
        var etag = $"W/\"ogc-{collection.Id}-{version}-{format.Name}\"";
        if (ConditionalGet.IsNotModified(http, etag)) return ConditionalGet.NotModified(http, etag);
        var body = Describe(http, collection, await extents.ReadAsync(collection, version, ct));
        body["links"]!.AsArray().Insert(0, Link(Url(http, $"/collections/{collection.Id}"), "self", format.MediaType, "This document"));
        body["links"]!.AsArray().Insert(1, Link(Url(http, $"/collections/{collection.Id}", format.Other), "alternate", format.Other.MediaType,
            $"This document as {format.Other.Name}"));
        ConditionalGet.SetValidators(http, etag);
        return format.IsHtml ? OgcHtml.Collection(body) : Json(body, "application/json");
    }

    private static async Task<IResult> SchemaAsync(HttpContext http, string collectionId, IAuthorizationService authorization)
    {
        if (Refused(http, OgcQuery.ResourceParameters) is { } refused) return refused;
        if (await FindAsync(http, collectionId, authorization) is not { } collection) return Missing(http, collectionId);
        var properties = new JsonObject();
        foreach (var p in collection.Properties)
        {
            var schema = new JsonObject { ["title"] = p.Title, ["type"] = new JsonArray(p.Type, "null") };
            if (p.Format is { } format) schema["format"] = format;
            properties[p.Name] = schema;
        }

        return Json(new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = Url(http, $"/collections/{collection.Id}/schema"),
            ["title"] = collection.Title,
            ["type"] = "object",
            ["properties"] = properties,
        }, "application/schema+json");
    }

    // bbox, datetime, limit and offset are named here for the API definition; OgcQuery reads them (and refuses any other).
    private static async Task<IResult> ItemsAsync(HttpContext http, string collectionId, string? f, string? bbox, string? datetime, string? limit,
        string? offset, NpgsqlDataSource db, OgcVersions versions, IAuthorizationService authorization, CancellationToken ct)
    {
        var (query, errors) = OgcQuery.ParseItems(http.Request.Query.Select(q => new KeyValuePair<string, string?[]>(q.Key, q.Value.ToArray())));
        if (query is null) return TypedResults.ValidationProblem(errors);
        if (OgcFormats.Negotiate(http, f) is not { } format) return OgcFormats.UnknownFormat();
        if (await FindAsync(http, collectionId, authorization) is not { } collection) return Missing(http, collectionId);
        var version = await versions.CurrentAsync(ct);
        var etag = $"W/\"ogc-{collection.Id}-items-{version}-{format.Name}\"";
        if (ConditionalGet.IsNotModified(http, etag)) return ConditionalGet.NotModified(http, etag);

        var page = await OgcFeatureStore.ReadAsync(db, collection, query, ct);
        var path = $"/collections/{collection.Id}/items";
        var links = new JsonArray
        {
            Link(PageUrl(http, path, query, query.Offset, format), "self", format.MediaType, "This page"),
            Link(PageUrl(http, path, query, query.Offset, format.Other), "alternate", format.Other.MediaType, $"This page as {format.Other.Name}"),
            Link(Url(http, $"/collections/{collection.Id}"), "collection", "application/json", collection.Title),
        };
        if (query.Offset + page.Features.Count < page.Matched)
            links.Add(Link(PageUrl(http, path, query, query.Offset + query.Limit, format), "next", format.MediaType, "Next page"));
        if (query.Offset > 0)
            links.Add(Link(PageUrl(http, path, query, Math.Max(0, query.Offset - query.Limit), format), "prev", format.MediaType, "Previous page"));

        var body = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray([.. page.Features.Select(Feature)]),
            ["links"] = links,
            ["timeStamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["numberMatched"] = page.Matched,
            ["numberReturned"] = page.Features.Count,
        };
        ConditionalGet.SetValidators(http, etag);
        return format.IsHtml ? OgcHtml.Items(collection, body, query) : Json(body, "application/geo+json");
    }

    private static async Task<IResult> ItemAsync(HttpContext http, string collectionId, string featureId, string? f, NpgsqlDataSource db, OgcVersions versions,
        IAuthorizationService authorization, CancellationToken ct)
    {
        if (Refused(http, OgcQuery.ResourceParameters) is { } refused) return refused;
        if (OgcFormats.Negotiate(http, f) is not { } format) return OgcFormats.UnknownFormat();
        if (await FindAsync(http, collectionId, authorization) is not { } collection) return Missing(http, collectionId);
        var version = await versions.CurrentAsync(ct);
        // An ETag is compared for one URL only: the feature's id need not be in it.
        var etag = $"W/\"ogc-{collection.Id}-item-{version}-{format.Name}\"";
        if (ConditionalGet.IsNotModified(http, etag)) return ConditionalGet.NotModified(http, etag);
        if (await OgcFeatureStore.ReadOneAsync(db, collection, featureId, ct) is not { } feature)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such feature",
                detail: $"The collection '{collection.Id}' has no feature '{featureId}' (now).");
        }

        var path = $"/collections/{collection.Id}/items/{Uri.EscapeDataString(featureId)}";
        var body = Feature(feature);
        body["links"] = new JsonArray
        {
            Link(Url(http, path, format), "self", format.MediaType, "This feature"),
            Link(Url(http, path, format.Other), "alternate", format.Other.MediaType, $"This feature as {format.Other.Name}"),
            Link(Url(http, $"/collections/{collection.Id}"), "collection", "application/json", collection.Title),
        };
        ConditionalGet.SetValidators(http, etag);
        return format.IsHtml ? OgcHtml.Item(collection, body) : Json(body, "application/geo+json");
    }

    private static JsonObject Describe(HttpContext http, OgcCollection collection, OgcExtent extent)
    {
        var spatial = extent.Spatial ?? new OgcBbox(-180, -90, 180, 90);
        var extentNode = new JsonObject
        {
            ["spatial"] = new JsonObject
            {
                ["bbox"] = new JsonArray(new JsonArray(spatial.MinLon, spatial.MinLat, spatial.MaxLon, spatial.MaxLat)),
                ["crs"] = Crs84,
            },
        };
        if (collection.Temporal)
        {
            extentNode["temporal"] = new JsonObject
            {
                ["interval"] = new JsonArray(new JsonArray(Instant(extent.Start), Instant(extent.End))),
                ["trs"] = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            };
        }

        return new JsonObject
        {
            ["id"] = collection.Id,
            ["title"] = collection.Title,
            ["description"] = collection.Description + (collection.Audience == OgcAudience.Staff ? " (staff session required)" : ""),
            ["itemType"] = "feature",
            ["crs"] = new JsonArray(Crs84),
            ["extent"] = extentNode,
            ["links"] = new JsonArray
            {
                Link(Url(http, $"/collections/{collection.Id}/items"), "items", "application/geo+json", "The features"),
                Link(Url(http, $"/collections/{collection.Id}/items", OgcFormats.Html), "items", "text/html", "The features as HTML"),
                Link(Url(http, $"/collections/{collection.Id}/schema"), "describedby", "application/schema+json", "The features' properties"),
            },
        };
    }

    private static JsonNode? Instant(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static JsonObject Feature(OgcFeature feature) => new()
    {
        ["type"] = "Feature",
        ["id"] = feature.Id,
        ["geometry"] = feature.Geometry is null ? null : JsonNode.Parse(feature.Geometry),
        ["properties"] = feature.Properties.DeepClone(),
    };

    private static JsonObject Link(string href, string rel, string type, string title) =>
        new() { ["href"] = href, ["rel"] = rel, ["type"] = type, ["title"] = title };

    private static IResult Json(JsonNode body, string mediaType) =>
        TypedResults.Text(body.ToJsonString(BousaiJson.Options), $"{mediaType}; charset=utf-8");

    private static IResult? Refused(HttpContext http, IReadOnlySet<string> known) =>
        OgcQuery.UnknownParameters(http.Request.Query.Keys, known) is { Count: > 0 } errors ? TypedResults.ValidationProblem(errors) : null;

    /// <summary>The collection asked for, when it exists and this request may read it.</summary>
    private static async Task<OgcCollection?> FindAsync(HttpContext http, string collectionId, IAuthorizationService authorization) =>
        OgcCollections.Find(collectionId) is { } collection && (collection.Audience == OgcAudience.Public || await IsStaffAsync(http, authorization))
            ? collection
            : null;

    /// <summary>Why FindAsync found nothing: 404 for an unknown collection, 401 for a staff one without a staff session.</summary>
    private static IResult Missing(HttpContext http, string collectionId) => OgcCollections.Find(collectionId) is null
        ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such collection",
            detail: $"There is no collection '{collectionId}'. See {Base}/collections.")
        : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Staff only",
            detail: $"The collection '{collectionId}' is for signed-in staff: sign in at /login first.");

    private static async Task<bool> IsStaffAsync(HttpContext http, IAuthorizationService authorization) =>
        http.User.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(http.User, AccountEndpoints.StaffPolicy)).Succeeded;

    private static string Absolute(HttpContext http, string path) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{path}";

    private static string Url(HttpContext http, string path, OgcFormat? format = null) =>
        Absolute(http, Base + path) + (format is null ? "" : $"?f={format.Name}");

    private static string PageUrl(HttpContext http, string path, OgcItemsQuery query, int offset, OgcFormat format)
    {
        var parameters = new List<string> { $"f={format.Name}", $"limit={query.Limit}" };
        if (offset > 0) parameters.Add($"offset={offset}");
        if (http.Request.Query["bbox"] is { Count: 1 } bbox) parameters.Add($"bbox={Uri.EscapeDataString(bbox[0]!)}");
        if (http.Request.Query["datetime"] is { Count: 1 } datetime) parameters.Add($"datetime={Uri.EscapeDataString(datetime[0]!)}");
        return Absolute(http, Base + path) + "?" + string.Join('&', parameters);
    }
}
