using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Bousai.Server.Web;
using Npgsql;

namespace Bousai.Server.Notifications;

/// <summary>The keys a browser's PushManager made for this server's messages (base64url).</summary>
public sealed record PushKeys(string? P256dh, string? Auth);

/// <summary>
/// A resident's opt-in: the browser's push subscription and what to be told of. Nothing identifies the resident: the
/// endpoint is a random URL of the browser's push service, and "where I am" arrives as a district, never a position.
/// </summary>
public sealed record PushSubscriptionRequest(
    string? Endpoint,
    PushKeys? Keys,
    string? Language,
    IReadOnlyList<string>? Districts,
    IReadOnlyList<string>? Shelters,
    bool? TownWarnings,
    bool? Drills);

/// <summary>Which subscription: its endpoint, which only the resident's browser knows.</summary>
public sealed record PushEndpoint(string? Endpoint);

/// <summary>What a subscription is told of, as stored.</summary>
public sealed record NotificationChoice(string Language, IReadOnlyList<string> Districts, IReadOnlyList<string> Shelters, bool TownWarnings, bool Drills);

public sealed record VapidPublicKey(string PublicKey);

public static class PushSubscriptionEndpoints
{
    public const int MaxEndpointLength = 1000;
    private const int MaxDistricts = 50;
    private const int MaxShelters = 200;

    public static IEndpointRouteBuilder MapNotificationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/public/notifications").WithTags("Notifications");
        group.MapGet("/key", KeyAsync)
            .WithSummary("The server's VAPID public key, for PushManager.subscribe's applicationServerKey");
        group.MapPut("/subscription", SubscribeAsync)
            .WithSummary("Opt in, or change what to be told of: districts' 警戒レベル, shelters opening, full or closing, the town's official warnings");
        group.MapPost("/subscription/lookup", LookupAsync)
            .WithSummary("What this browser's subscription is told of")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/subscription", UnsubscribeAsync)
            .WithSummary("End the subscription: the server deletes it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Ok<VapidPublicKey>> KeyAsync(VapidKeys keys, CancellationToken ct) =>
        TypedResults.Ok(new VapidPublicKey((await keys.GetAsync(ct)).PublicKey));

    private static async Task<Results<Ok<NotificationChoice>, ValidationProblem>> SubscribeAsync(PushSubscriptionRequest request,
        NpgsqlDataSource db, IOptions<NotificationOptions> options, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (EndpointRefusal(request.Endpoint, options.Value) is { } endpointRefusal) errors["endpoint"] = [endpointRefusal];
        if (!IsPublicKey(request.Keys?.P256dh)) errors["keys.p256dh"] = ["The browser's p256dh key must be a P-256 public key (65 bytes, base64url)."];
        if (!IsAuthSecret(request.Keys?.Auth)) errors["keys.auth"] = ["The browser's auth secret must be 16 bytes, base64url."];
        if (request.Language is not ("ja" or "en")) errors["language"] = ["The language is \"ja\" or \"en\"."];
        var districts = (request.Districts ?? []).Distinct().ToArray();
        var shelters = (request.Shelters ?? []).Distinct().ToArray();
        var townWarnings = request.TownWarnings ?? true;
        if (districts.Length > MaxDistricts) errors["districts"] = [$"At most {MaxDistricts} districts."];
        if (shelters.Length > MaxShelters) errors["shelters"] = [$"At most {MaxShelters} shelters."];
        if (districts.Length == 0 && shelters.Length == 0 && !townWarnings)
        {
            errors["districts"] = ["Choose a district, a shelter or the town's official warnings: there is nothing to tell otherwise."];
        }

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var (unknownDistricts, unknownShelters) = await PushSubscriptionStore.UnknownAsync(db, districts, shelters, ct);
        if (unknownDistricts.Count > 0) errors["districts"] = [$"No such district: {string.Join(", ", unknownDistricts)}."];
        if (unknownShelters.Count > 0) errors["shelters"] = [$"No such shelter: {string.Join(", ", unknownShelters)}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var choice = new NotificationChoice(request.Language!, districts, shelters, townWarnings, request.Drills ?? false);
        return TypedResults.Ok(await PushSubscriptionStore.SaveAsync(db, request.Endpoint!, request.Keys!.P256dh!, request.Keys.Auth!, choice,
            time.GetUtcNow(), ct));
    }

    private static async Task<Results<Ok<NotificationChoice>, ValidationProblem, ProblemHttpResult>> LookupAsync(PushEndpoint request,
        NpgsqlDataSource db, CancellationToken ct)
    {
        if (request.Endpoint is not { Length: > 0 and <= MaxEndpointLength }) return NoEndpoint();
        return await PushSubscriptionStore.FindAsync(db, request.Endpoint, ct) is { } choice
            ? TypedResults.Ok(choice)
            : Problems.NotFound("No such subscription", "This browser's push subscription is not registered here (it was ended, or the push service ended it).");
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> UnsubscribeAsync([FromBody] PushEndpoint request, NpgsqlDataSource db,
        CancellationToken ct)
    {
        if (request.Endpoint is not { Length: > 0 and <= MaxEndpointLength }) return NoEndpoint();
        return await PushSubscriptionStore.DeleteAsync(db, request.Endpoint, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("No such subscription", "This browser's push subscription is not registered here: there is nothing to end.");
    }

    private static ValidationProblem NoEndpoint() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["endpoint"] = [$"The subscription's endpoint URL, up to {MaxEndpointLength} characters."] });

    /// <summary>Why the server will not post to this endpoint, or null: https on a browser's push service (loopback only in tests).</summary>
    public static string? EndpointRefusal(string? endpoint, NotificationOptions options)
    {
        if (endpoint is not { Length: > 0 and <= MaxEndpointLength } || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return $"The subscription's endpoint must be an absolute URL of up to {MaxEndpointLength} characters.";
        }

        if (options.AllowLoopbackServices && uri.IsLoopback && uri.Scheme is "http" or "https") return null;
        if (uri.Scheme != Uri.UriSchemeHttps || !uri.IsDefaultPort && uri.Port != 443)
        {
            return "The subscription's endpoint must be an https URL of a browser's push service.";
        }

        var host = uri.IdnHost;
        return options.ServiceHosts.Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"{host} is not a push service this server sends to.";
    }

    private static bool IsPublicKey(string? p256dh)
    {
        if (Decode(p256dh) is not { Length: 65 } point || point[0] != 0x04) return false;
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] },
            });
            return true;
        }
        catch (CryptographicException)
        {
            return false; // not a point on the curve
        }
    }

    private static bool IsAuthSecret(string? auth) => Decode(auth) is { Length: 16 };

    private static byte[]? Decode(string? base64Url)
    {
        if (base64Url is not { Length: > 0 and <= 200 }) return null;
        try
        {
            return WebEncoders.Base64UrlDecode(base64Url);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
