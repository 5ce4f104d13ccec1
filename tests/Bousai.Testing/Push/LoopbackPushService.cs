using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bousai.Testing.Push;

/// <summary>A message the push service took, as the phone would read it.</summary>
/// <param name="Text">The decrypted payload; null for a message taken without reading (<see cref="LoopbackPushService.ReadEvery"/>).</param>
public sealed record ReceivedPush(string Subscriber, string? Text, int Ttl, string? Urgency, string? Topic, VapidClaims? Vapid, DateTimeOffset At);

/// <summary>How the push service answers one message: 201, or an error with an optional Retry-After.</summary>
public sealed record PushAnswer(HttpStatusCode Status, int? RetryAfterSeconds = null);

/// <summary>
/// A browser push service played on loopback (RFC 8030): POST /push/{subscriber} takes a message for one subscriber,
/// checks its VAPID signature (RFC 8292) and decrypts its aes128gcm payload with that subscriber's own keys (RFC
/// 8291), so a test reads exactly what the phone would show. Answers can be scripted per subscriber (410, 429 with
/// Retry-After, 500). Anything it refuses is kept in <see cref="Refusals"/> with the reason.
/// </summary>
public sealed class LoopbackPushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, PushSubscriberKeys> _subscribers = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PushAnswer>> _answers = new();
    private readonly ConcurrentQueue<ReceivedPush> _received = new();
    private readonly ConcurrentQueue<string> _refusals = new();
    private long _taken;
    private long _requests;

    private LoopbackPushService(WebApplication app)
    {
        _app = app;
        app.MapPost("/push/{subscriber}", TakeAsync);
    }

    /// <summary>The VAPID public key every message must be signed with (the server's); any valid key when null.</summary>
    public string? ServerKey { get; set; }

    /// <summary>
    /// Verify and decrypt one message in this many (1: every one, as tests need). A benchmark sets it higher so the
    /// push service's own work does not weigh on the server it measures.
    /// </summary>
    public int ReadEvery { get; init; } = 1;

    /// <summary>How long the push service takes to answer each message (a slow service, or a fan-out to watch midway).</summary>
    public TimeSpan Latency { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LoopbackPushService> StartAsync(int readEvery = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var service = new LoopbackPushService(builder.Build()) { ReadEvery = readEvery };
        await service._app.StartAsync();
        service.BaseAddress = new Uri(service._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return service;
    }

    /// <summary>A new subscriber with its own keys, as a browser subscribing: its endpoint URL and keys go to the server.</summary>
    public (Uri Endpoint, PushSubscriberKeys Keys) Subscribe(string subscriber, PushSubscriberKeys? keys = null)
    {
        keys ??= PushSubscriberKeys.Create();
        _subscribers[subscriber] = keys;
        return (EndpointOf(subscriber), keys);
    }

    public Uri EndpointOf(string subscriber) => new(BaseAddress, "push/" + Uri.EscapeDataString(subscriber));

    /// <summary>Answers the next messages for this subscriber so, in order; after them, 201 again.</summary>
    public void Answer(string subscriber, params PushAnswer[] answers)
    {
        var queue = _answers.GetOrAdd(subscriber, _ => new ConcurrentQueue<PushAnswer>());
        foreach (var answer in answers) queue.Enqueue(answer);
    }

    /// <summary>Every message taken (201), in the order taken.</summary>
    public IReadOnlyList<ReceivedPush> Received => [.. _received];

    /// <summary>Messages taken (201), counted also when not read.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Requests of any answer, scripted errors included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Why messages were refused (a bad signature, a payload the subscriber's keys cannot read, an unknown subscriber).</summary>
    public IReadOnlyList<string> Refusals => [.. _refusals];

    /// <summary>The messages taken for one subscriber.</summary>
    public IReadOnlyList<ReceivedPush> For(string subscriber) => [.. _received.Where(r => r.Subscriber == subscriber)];

    private async Task<IResult> TakeAsync(string subscriber, HttpRequest request)
    {
        var number = Interlocked.Increment(ref _requests);
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
        if (_answers.TryGetValue(subscriber, out var scripted) && scripted.TryDequeue(out var answer))
        {
            if (answer.RetryAfterSeconds is { } seconds) request.HttpContext.Response.Headers.RetryAfter = seconds.ToString();
            return Results.StatusCode((int)answer.Status);
        }

        if (!_subscribers.TryGetValue(subscriber, out var keys)) return Refuse(HttpStatusCode.Gone, $"{subscriber}: no such subscription");
        if (!int.TryParse(request.Headers["TTL"], out var ttl) || ttl < 0) return Refuse(HttpStatusCode.BadRequest, $"{subscriber}: no TTL header");
        if (request.Headers.ContentEncoding.ToString() != "aes128gcm")
        {
            return Refuse(HttpStatusCode.UnsupportedMediaType, $"{subscriber}: Content-Encoding is not aes128gcm");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (body.Length > 4096) return Refuse(HttpStatusCode.RequestEntityTooLarge, $"{subscriber}: the body is over 4096 bytes");

        string? text = null;
        VapidClaims? vapid = null;
        if (number % ReadEvery == 0)
        {
            var endpoint = EndpointOf(subscriber);
            (vapid, var refusal) = VapidAuthorization.Verify(request.Headers.Authorization, endpoint, DateTimeOffset.UtcNow);
            if (vapid is null) return Refuse(HttpStatusCode.Unauthorized, $"{subscriber}: {refusal}");
            if (ServerKey is { } expected && vapid.PublicKey != expected) return Refuse(HttpStatusCode.Forbidden, $"{subscriber}: signed with another key");
            try
            {
                text = Encoding.UTF8.GetString(keys.Decrypt(body.ToArray()));
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                return Refuse(HttpStatusCode.BadRequest, $"{subscriber}: the payload does not decrypt with its keys: {e.Message}");
            }
        }

        _received.Enqueue(new ReceivedPush(subscriber, text, ttl, request.Headers["Urgency"].FirstOrDefault(), request.Headers["Topic"].FirstOrDefault(),
            vapid, DateTimeOffset.UtcNow));
        Interlocked.Increment(ref _taken);
        request.HttpContext.Response.Headers.Location = new Uri(BaseAddress, $"message/{number}").ToString();
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private IResult Refuse(HttpStatusCode status, string reason)
    {
        _refusals.Enqueue(reason);
        return Results.StatusCode((int)status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
