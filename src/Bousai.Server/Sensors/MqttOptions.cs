namespace Bousai.Server.Sensors;

/// <summary>
/// Configuration section "Mqtt": the broker the gauges publish to. Embedded (the default) runs an MQTTnet broker in
/// this process on Host:Port; otherwise Host/Port/UseTls name an external broker (mosquitto in the tests and in
/// compose). Username/Password are the credential ingestion signs in with; gauges sign in with their own (Gauges, the
/// shared one, and StationCredentials, one per station), and on the embedded broker may only publish (docs/mqtt.md).
/// </summary>
public sealed class MqttOptions
{
    public bool Embedded { get; set; } = true;

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Embedded broker: the credential every gauge may share (the simulator's, user "sensors" in the demo).</summary>
    public GaugeCredential Gauges { get; set; } = new();

    /// <summary>Embedded broker: one credential per gauge, allowed to publish only its own station's topics.</summary>
    public List<StationCredential> StationCredentials { get; set; } = [];

    public bool UseTls { get; set; }

    /// <summary>
    /// Embedded broker only: accept clients without a user name, as gauges. Off unless configured. Without Username the
    /// ingester signs in anonymously too, and then its client id is all that tells it apart.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Stable across restarts, so the broker keeps this instance's session (and its unacknowledged messages).</summary>
    public string ClientId { get; set; } = "bousai-ingest-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>
    /// External broker, several server instances: they share the subscription in this group (MQTT 5 shared
    /// subscriptions), so each message is ingested by one of them. Empty (the default): a plain subscription. Mosquitto
    /// 2.0 does not restore shared subscriptions from its persistence file, so messages published between a broker
    /// restart and the instances subscribing again are dropped by the broker; a plain persistent subscription is restored.
    /// </summary>
    public string? SharedGroup { get; set; }

    /// <summary>Most messages committed in one transaction.</summary>
    public int MaxBatch { get; set; } = 2_000;

    /// <summary>Largest payload accepted; larger ones become dead letters (a backlog of a day of 10-minute readings is about 10 KB).</summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Embedded broker: the largest MQTT packet a client may send; a larger one closes its connection before the broker
    /// reads it. Well above MaxPayloadBytes, so a payload a little too large still reaches ingestion as a dead letter.
    /// </summary>
    public int MaxPacketBytes { get; set; } = 1024 * 1024;

    /// <summary>Embedded broker: how long a new connection may take to send CONNECT before it is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Readings observed longer ago than this are refused (a gauge clock years off, or a misdated backlog).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(730);

    /// <summary>How many received but not yet committed messages the broker may hand this instance (MQTT receive maximum).</summary>
    public ushort ReceiveMaximum { get; set; } = 10_000;

    public string Address => $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    /// <summary>
    /// Ingestion is stuck (and /readyz 503) when a message has waited this long with no batch committed since: the
    /// database refusing every write, or a dead letter that cannot be written. Long enough to ride out a slow commit.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Mqtt:Gauges: the user name and password gauges may share.</summary>
public sealed class GaugeCredential
{
    public string? Username { get; set; }

    public string? Password { get; set; }
}

/// <summary>Mqtt:StationCredentials:N: a gauge's own credential, good for its station's topics only.</summary>
public sealed class StationCredential
{
    public string StationId { get; set; } = "";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";
}
