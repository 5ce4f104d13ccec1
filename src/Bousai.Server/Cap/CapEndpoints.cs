using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Bousai.Server.Web;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.Cap;

/// <summary>
/// The CAP 1.2 feed for residents and other systems: an Atom feed of the current messages (anonymous, no staff names
/// anywhere in it) and each message as sent. Both answer ETag / If-None-Match with 304.
/// </summary>
public static class CapEndpoints
{
    public const string FeedPath = "/cap/feed.atom";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static IServiceCollection AddCap(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CapOptions>().Bind(configuration.GetSection("Cap"));
        services.AddSingleton<CapReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<CapReconciler>());
        return services;
    }

    public static IEndpointRouteBuilder MapCapFeed(this IEndpointRouteBuilder routes)
    {
        var cap = routes.MapGroup("/cap").WithTags("CAP").AllowAnonymous();
        cap.MapGet("/feed.atom", FeedAsync)
            .WithSummary("Atom feed of the current CAP 1.2 messages (district levels, official warnings, the system's alerts), newest first")
            .Produces(StatusCodes.Status200OK, contentType: "application/atom+xml")
            .Produces(StatusCodes.Status304NotModified);
        cap.MapGet("/messages/{identifier}.xml", MessageAsync)
            .WithSummary("One CAP 1.2 message, as it was sent")
            .Produces(StatusCodes.Status200OK, contentType: "application/cap+xml")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<IResult> FeedAsync(HttpContext http, NpgsqlDataSource db, IOptions<CapOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        var entries = await CapStore.ReadFeedAsync(db, time.GetUtcNow(), options.Value.CancelKeptFor, ct);
        // The links name the host the reader asked, so the same feed read through another name is another representation.
        var etag = $"\"{Digest(Absolute(http, "") + "\n" + string.Join('\n', entries.Select(e => e.Identifier)))}\"";
        if (ConditionalGet.IsNotModified(http, etag)) return ConditionalGet.NotModified(http, etag);

        ConditionalGet.SetValidators(http, etag);
        return TypedResults.Text(FeedDocument(entries, options.Value, path => Absolute(http, path)), "application/atom+xml; charset=utf-8");
    }

    /// <summary>The Atom feed of <paramref name="entries"/>, its links made absolute by <paramref name="absolute"/> (the server's own, or the static export's base address).</summary>
    public static string FeedDocument(IReadOnlyList<CapFeedEntry> entries, CapOptions o, Func<string, string> absolute)
    {
        var updated = entries.Count > 0 ? entries.Max(e => e.Sent) : DateTimeOffset.UnixEpoch;
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", $"{o.IdentifierPrefix}:feed"),
            new XElement(Atom + "title", $"{o.SenderNameJa} 防災情報 / {o.SenderNameEn} alerts (CAP 1.2)"),
            new XElement(Atom + "updated", CapXml.Time(updated)),
            new XElement(Atom + "author", new XElement(Atom + "name", o.SenderNameJa)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", absolute(FeedPath))),
            entries.Select(e => new XElement(Atom + "entry",
                new XElement(Atom + "id", e.Identifier),
                new XElement(Atom + "title", (e.Status == CapStatus.Exercise ? "【訓練 / EXERCISE】" : "") + $"{e.HeadlineJa} / {e.HeadlineEn}"),
                new XElement(Atom + "updated", CapXml.Time(e.Sent)),
                new XElement(Atom + "category", new XAttribute("term", e.MsgType.ToString())),
                new XElement(Atom + "summary", $"CAP {e.MsgType} ({e.Status})"),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "application/cap+xml"),
                    new XAttribute("href", absolute(MessagePath(e.Identifier)))))));
        return CapXml.Text(new XDocument(new XDeclaration("1.0", "utf-8", null), feed));
    }

    private static async Task<IResult> MessageAsync(string identifier, HttpContext http, NpgsqlDataSource db, CancellationToken ct)
    {
        if (await CapStore.ReadXmlAsync(db, identifier, ct) is not { } xml)
        {
            return Problems.NotFound("No such CAP message", $"There is no CAP message '{identifier}'.");
        }

        var etag = $"\"{Digest(xml)}\"";
        if (ConditionalGet.IsNotModified(http, etag)) return ConditionalGet.NotModified(http, etag);
        ConditionalGet.SetValidators(http, etag);
        return TypedResults.Text(xml, "application/cap+xml; charset=utf-8");
    }

    public static string MessagePath(string identifier) => $"/cap/messages/{Uri.EscapeDataString(identifier)}.xml";

    private static string Absolute(HttpContext http, string path) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{path}";

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
