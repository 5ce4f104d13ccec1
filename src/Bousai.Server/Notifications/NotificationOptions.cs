namespace Bousai.Server.Notifications;

/// <summary>Web Push for residents (section "Notifications").</summary>
public sealed class NotificationOptions
{
    /// <summary>Whether this instance sends (every instance stores subscriptions and writes the outbox either way).</summary>
    public bool SendEnabled { get; set; } = true;

    /// <summary>The VAPID subject push services may contact about this server's messages (RFC 8292 "sub").</summary>
    public string Subject { get; set; } = "mailto:bousai@town.takahata.yamagata.jp";

    /// <summary>
    /// Hosts a subscription's endpoint may be on (a suffix matches subdomains): the browsers' push services. The server
    /// posts to these URLs, so an endpoint anywhere else (an address inside the town's network) is refused.
    /// </summary>
    public List<string> ServiceHosts { get; set; } =
        ["fcm.googleapis.com", "android.googleapis.com", "updates.push.services.mozilla.com", "push.services.mozilla.com",
         "web.push.apple.com", "notify.windows.com"];

    /// <summary>Tests and the benchmark: also accept http endpoints on 127.0.0.1 (a push service played on loopback).</summary>
    public bool AllowLoopbackServices { get; set; }

    /// <summary>Messages in flight to push services at once, per instance.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Messages being encrypted at once, per instance (each costs about a millisecond of CPU: a new P-256 key pair and an
    /// ECDH per message, RFC 8291). Fewer than the machine's cores, so ingestion, the hubs and HQ keep the rest while a
    /// fan-out to every subscriber runs; the messages in flight (<see cref="Concurrency"/>) wait for the network, not for this.
    /// </summary>
    public int EncryptionLanes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Deliveries one instance takes at a time.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a taken delivery is this instance's: if it dies, another takes the delivery after this.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Attempts before a delivery is given up (each retry waits longer, or as long as Retry-After says).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How often an idle sender looks for work besides being woken by a new notice (retries come due).</summary>
    public int PollMilliseconds { get; set; } = 1000;
}
