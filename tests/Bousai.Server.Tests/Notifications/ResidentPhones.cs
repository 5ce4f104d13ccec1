using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bousai.Testing.Push;

namespace Bousai.Server.Tests.Notifications;

/// <summary>Residents' browsers opting in: a subscriber of the loopback push service, registered with the server's API.</summary>
public static class ResidentPhones
{
    /// <summary>Subscribes <paramref name="name"/> at the push service and opts it in for these topics.</summary>
    public static async Task<PushSubscriberKeys> OptInAsync(HttpClient client, LoopbackPushService push, string name, string[]? districts = null,
        string[]? shelters = null, bool townWarnings = false, bool drills = false, string language = "ja")
    {
        var (endpoint, keys) = push.Subscribe(name);
        var response = await client.PutAsJsonAsync("/public/notifications/subscription", new
        {
            endpoint = endpoint.ToString(),
            keys = new { p256dh = keys.P256dh, auth = keys.Auth },
            language,
            districts = districts ?? [],
            shelters = shelters ?? [],
            townWarnings,
            drills,
        });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Opting in {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return keys;
    }

    /// <summary>The server's VAPID public key, which every message must be signed with.</summary>
    public static async Task<string> ServerKeyAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/public/notifications/key"))!["publicKey"]!.GetValue<string>();

    /// <summary>What the phone shows: the decrypted payload.</summary>
    public static JsonObject Shown(ReceivedPush push) => JsonNode.Parse(push.Text ?? throw new InvalidOperationException("not read"))!.AsObject();
}
