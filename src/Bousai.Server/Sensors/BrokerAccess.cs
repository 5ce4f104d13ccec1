using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MQTTnet.Protocol;

namespace Bousai.Server.Sensors;

public enum BrokerRole
{
    /// <summary>The server's own ingestion: subscribes, never publishes.</summary>
    Ingestion,

    /// <summary>A gauge: publishes readings, subscribes to nothing.</summary>
    Gauge,
}

/// <summary>What a signed-in client of the embedded broker may do. A gauge with a StationId may publish only that station's topics.</summary>
public sealed record BrokerGrant(BrokerRole Role, string? StationId = null)
{
    public static readonly BrokerGrant Ingestion = new(BrokerRole.Ingestion);

    public static readonly BrokerGrant AnyGauge = new(BrokerRole.Gauge);

    public static BrokerGrant Station(string stationId) => new(BrokerRole.Gauge, stationId);
}

/// <summary>The broker's answer to a CONNECT: a grant, or a reason code; CountsAsFailure when the credential itself was wrong.</summary>
public sealed record SignInVerdict(BrokerGrant? Grant, MqttConnectReasonCode Code, bool CountsAsFailure, string? Reason)
{
    public bool Accepted => Grant is not null;

    public static SignInVerdict Accept(BrokerGrant grant) => new(grant, MqttConnectReasonCode.Success, false, null);
}

public enum PublishVerdict
{
    Allowed,

    /// <summary>Not a topic name MQTT allows in a PUBLISH: empty, a wildcard, a NUL.</summary>
    TopicNameInvalid,

    /// <summary>A topic this client may not publish to (another station's, anything outside the contract, or ingestion publishing at all).</summary>
    NotAuthorized,

    /// <summary>A retained message: a gauge's reading is for ingestion now, never for whoever subscribes later.</summary>
    RetainRefused,
}

/// <summary>
/// The embedded broker's access rules (docs/mqtt.md, "Credentials"), pure so that a table of cases tests them: who a
/// CONNECT is, and what each party may publish and subscribe. deploy/mosquitto/acl states the same for mosquitto.
/// </summary>
public static partial class BrokerAccess
{
    /// <summary>Who signs in with these credentials and this client id, or why not.</summary>
    public static SignInVerdict SignIn(MqttOptions options, string? userName, string? password, string? clientId)
    {
        BrokerGrant? grant;
        if (string.IsNullOrEmpty(userName))
        {
            if (!options.AllowAnonymous) return new(null, MqttConnectReasonCode.NotAuthorized, true, "anonymous clients are refused");
            grant = GrantOf(options, userName, clientId);
        }
        else
        {
            var expected = ExpectedPassword(options, userName);
            // Compared in fixed time (hashes of equal length), and also when the user is unknown, so the answer's timing
            // tells neither the password nor which user names exist.
            var matches = SamePassword(expected ?? "", password ?? "") && expected is not null;
            if (!matches) return new(null, MqttConnectReasonCode.BadUserNameOrPassword, true, "wrong user name or password");
            grant = GrantOf(options, userName, clientId);
        }

        if (grant is null) return new(null, MqttConnectReasonCode.BadUserNameOrPassword, true, "wrong user name or password");
        var isIngesterId = clientId == options.ClientId;
        // Ingestion's persistent session (and the readings queued in it) belongs to ingestion's credential alone, and
        // ingestion keeps to that one session, so no other session on this broker ever holds a subscription.
        if (grant.Role == BrokerRole.Ingestion && !isIngesterId)
        {
            return new(null, MqttConnectReasonCode.ClientIdentifierNotValid, false, "ingestion connects with Mqtt:ClientId only");
        }

        if (grant.Role != BrokerRole.Ingestion && isIngesterId)
        {
            return new(null, MqttConnectReasonCode.NotAuthorized, false, "this client id is reserved for ingestion");
        }

        return SignInVerdict.Accept(grant);
    }

    /// <summary>The rights of a client that has signed in (its password was checked at CONNECT).</summary>
    public static BrokerGrant? GrantOf(MqttOptions options, string? userName, string? clientId)
    {
        if (string.IsNullOrEmpty(userName))
        {
            if (!options.AllowAnonymous) return null;
            // Anonymous ingestion (no Mqtt:Username configured) can be told apart by its client id only.
            return string.IsNullOrEmpty(options.Username) && clientId == options.ClientId ? BrokerGrant.Ingestion : BrokerGrant.AnyGauge;
        }

        if (userName == options.Username) return BrokerGrant.Ingestion;
        if (userName == options.Gauges.Username) return BrokerGrant.AnyGauge;
        var station = options.StationCredentials.FirstOrDefault(c => c.Username == userName);
        return station is null ? null : BrokerGrant.Station(station.StationId);
    }

    public static PublishVerdict MayPublish(BrokerGrant grant, string? topic, bool retain)
    {
        if (string.IsNullOrEmpty(topic) || topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0) return PublishVerdict.TopicNameInvalid;
        if (grant.Role != BrokerRole.Gauge) return PublishVerdict.NotAuthorized;
        var match = GaugeTopic().Match(topic);
        if (!match.Success) return PublishVerdict.NotAuthorized;
        if (grant.StationId is not null && match.Groups[1].Value != grant.StationId) return PublishVerdict.NotAuthorized;
        return retain ? PublishVerdict.RetainRefused : PublishVerdict.Allowed;
    }

    /// <summary>Only ingestion subscribes; a gauge subscribing to anything (# included) is refused.</summary>
    public static bool MaySubscribe(BrokerGrant grant) => grant.Role == BrokerRole.Ingestion;

    /// <summary>A station id as the topic contract (and the stations layer) allows it.</summary>
    public static bool IsStationId(string? stationId) => stationId is not null && StationId().IsMatch(stationId);

    private static string? ExpectedPassword(MqttOptions options, string userName)
    {
        if (userName == options.Username) return options.Password;
        if (userName == options.Gauges.Username) return options.Gauges.Password;
        return options.StationCredentials.FirstOrDefault(c => c.Username == userName)?.Password;
    }

    private static bool SamePassword(string expected, string given) => CryptographicOperations.FixedTimeEquals(
        SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    // \z, not $: $ also matches before a final newline. Bounded by the pattern itself, so a 65,000-byte topic or one of
    // 2,000 levels fails at once.
    [GeneratedRegex(@"\Abousai/v1/stations/([A-Za-z0-9][A-Za-z0-9._-]{0,99})/(?:water_level|rainfall)\z")]
    private static partial Regex GaugeTopic();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z")]
    private static partial Regex StationId();
}
