using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bousai.Server.PublicView;
using Bousai.Server.Store;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Npgsql;
using Prometheus;

namespace Bousai.Server.Notifications;

/// <summary>
/// Delivers the outbox to the residents' push services, beside everything else and never in its way: one notice at a
/// time is fanned out into deliveries (one INSERT … SELECT over the subscriptions of its topic), and deliveries are
/// taken in batches, leased, and sent with bounded concurrency. Every instance runs one; SKIP LOCKED and the leases
/// share the work, so no delivery is sent by two instances. Stopping finishes the messages in flight and records
/// them, and hands back the rest of the batch, so a restart sends what remains once.
/// </summary>
public sealed class PushSender(
    NpgsqlDataSource db,
    VapidKeys keys,
    IOptions<NotificationOptions> options,
    IWebHostEnvironment environment,
    ILogger<PushSender> logger) : BackgroundService
{
    /// <summary>Deliveries whose outcome is recorded together: also the most a sender killed outright (SIGKILL) can send twice.</summary>
    private const int OutcomeChunk = 64;

    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);

    private static readonly Counter Sent = Metrics.CreateCounter("bousai_push_deliveries_total", "Push messages by outcome.", "outcome");
    private readonly NotificationOptions _options = options.Value;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _encryption = new(options.Value.EncryptionLanes, options.Value.EncryptionLanes);
    private PublicText? _text;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.SendEnabled) return;
        _text = PublicRendering.ReadWebBuild(environment.WebRootFileProvider).Text
                ?? throw new InvalidOperationException("wwwroot/public-messages.json is missing: build the web client (npm run build) before the server.");
        var vapid = await keys.GetAsync(stoppingToken);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = _options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        }) { Timeout = TimeSpan.FromSeconds(30) };
        using var authentication = new VapidAuthentication(vapid.PublicKey, vapid.PrivateKey)
        {
            Subject = _options.Subject,
            TokenCache = new TokenCache(),
        };
        var client = new PushServiceClient(http)
        {
            DefaultAuthentication = authentication,
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            // A 429 is scheduled as a retry of its own delivery; waiting for it here would hold up every other one.
            AutoRetryAfter = false,
        };

        var listening = ListenAsync(stoppingToken);
        var nextPrune = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var fannedOut = await FanOutAsync(stoppingToken);
                var delivered = await DeliverAsync(client, stoppingToken);
                if (!fannedOut && !delivered)
                {
                    if (DateTimeOffset.UtcNow >= nextPrune)
                    {
                        await PruneAsync(stoppingToken);
                        nextPrune = DateTimeOffset.UtcNow + PruneInterval;
                    }

                    await _wake.WaitAsync(TimeSpan.FromMilliseconds(_options.PollMilliseconds), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogError(e, "Sending push notifications failed; trying again in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await listening;
    }

    /// <summary>
    /// Notices whose every delivery is done go a day later: the outbox is not a record (the situation event log is, and the
    /// notice's words follow from it).
    /// </summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            DELETE FROM push_notices n WHERE n.fanned_out_at < now() - interval '1 day'
            AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.notice_id = n.id)
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // already awake
            }
        }
    }

    /// <summary>Wakes the sender when any instance commits a notice (NOTIFY on the outbox's channel).</summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {NoticeOutbox.Channel}", connection)) await listen.ExecuteNonQueryAsync(ct);
                Wake(); // anything committed before we listened
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning(e, "Listening for push notices failed; polling meanwhile, listening again in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Turns the oldest waiting notice into one delivery per subscription of its topic (drills only to those who asked
    /// for them), with its words in both languages; false when none waits.
    /// </summary>
    private async Task<bool> FanOutAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long id;
        ResidentNotice notice;
        await using (var take = new NpgsqlCommand(
                         "SELECT id, facts FROM push_notices WHERE fanned_out_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", connection, transaction))
        await using (var reader = await take.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return false;
            id = reader.GetInt64(0);
            notice = JsonSerializer.Deserialize<ResidentNotice>(reader.GetString(1), BousaiJson.Options)!;
        }

        var (nameJa, nameEn) = await SubjectNamesAsync(connection, transaction, notice, ct);
        var payloads = new Dictionary<string, PushPayload>
        {
            ["ja"] = NoticeWording.Payload(notice, id, PublicLanguage.Ja, _text!, nameJa),
            ["en"] = NoticeWording.Payload(notice, id, PublicLanguage.En, _text!, nameEn ?? nameJa),
        };
        await using var fanOut = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO push_deliveries (notice_id, subscription_id, due_at)
                    SELECT $1, s.id, now() FROM push_subscriptions s
                    WHERE s.topics @> ARRAY[$2::text] AND ($3 = false OR s.drills)
                    """)
                {
                    Parameters = { new() { Value = id }, new() { Value = notice.Topic }, new() { Value = notice.Drill } },
                },
                new NpgsqlBatchCommand("UPDATE push_notices SET payloads = $2::jsonb, fanned_out_at = now() WHERE id = $1")
                {
                    Parameters = { new() { Value = id }, new() { Value = JsonSerializer.Serialize(payloads, BousaiJson.Options) } },
                },
            },
        };
        await fanOut.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Push notice {NoticeId} ({Kind}, {Topic}) fanned out to {Deliveries} subscriptions", id, notice.Kind, notice.Topic,
            fanOut.BatchCommands[0].RecordsAffected);
        return true;
    }

    private static async Task<(string? Ja, string? En)> SubjectNamesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        ResidentNotice notice, CancellationToken ct)
    {
        var table = notice.Topic.StartsWith("district:", StringComparison.Ordinal) ? "districts"
            : notice.Topic.StartsWith("shelter:", StringComparison.Ordinal) ? "shelters"
            : null;
        if (table is null) return (null, null);
        await using var command = new NpgsqlCommand($"SELECT name_ja, name_en FROM {table} WHERE id = $1", connection, transaction);
        command.Parameters.AddWithValue(notice.Subject);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : (null, null);
    }

    private sealed record Delivery(long NoticeId, long SubscriptionId, int Attempts, string Endpoint, string P256dh, string Auth, string Payload,
        string Topic, PushUrgency Urgency, int TtlSeconds, DateTimeOffset CreatedAt);

    private enum Outcome { Delivered, Retry, Gone, Failed, Released }

    private sealed record Result(Delivery Delivery, Outcome Outcome, int? Status = null, TimeSpan? Wait = null);

    /// <summary>Takes a batch of due deliveries and sends it; false when none is due.</summary>
    private async Task<bool> DeliverAsync(PushServiceClient client, CancellationToken stoppingToken)
    {
        var batch = await TakeAsync(stoppingToken);
        if (batch.Count == 0) return false;
        var queue = new Queue<Delivery>(batch);
        while (queue.Count > 0)
        {
            var chunk = new List<Delivery>();
            while (chunk.Count < OutcomeChunk && queue.Count > 0) chunk.Add(queue.Dequeue());
            var results = new ConcurrentBag<Result>();
            try
            {
                await Parallel.ForEachAsync(chunk, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = stoppingToken },
                    async (delivery, _) => results.Add(await SendAsync(client, delivery)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Messages in flight finished (they do not take the token); the rest goes back below.
            }

            if (stoppingToken.IsCancellationRequested)
            {
                var done = results.Select(r => r.Delivery).ToHashSet();
                foreach (var delivery in chunk.Where(d => !done.Contains(d)).Concat(queue)) results.Add(new Result(delivery, Outcome.Released));
                queue.Clear();
            }

            await RecordAsync([.. results]);
        }

        return true;
    }

    private async Task<IReadOnlyList<Delivery>> TakeAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            WITH due AS (
                SELECT notice_id, subscription_id FROM push_deliveries
                WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED
            )
            UPDATE push_deliveries d SET due_at = now() + $2 * interval '1 second', attempts = d.attempts + 1
            FROM due, push_subscriptions s, push_notices n
            WHERE d.notice_id = due.notice_id AND d.subscription_id = due.subscription_id AND s.id = d.subscription_id AND n.id = d.notice_id
            RETURNING d.notice_id, d.subscription_id, d.attempts, s.endpoint, s.p256dh, s.auth, (n.payloads -> s.language)::text, n.topic, n.urgency,
                      n.ttl_seconds, n.created_at
            """);
        command.Parameters.AddWithValue(_options.BatchSize);
        command.Parameters.AddWithValue(_options.LeaseSeconds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var batch = new List<Delivery>();
        while (await reader.ReadAsync(ct))
        {
            batch.Add(new Delivery(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), DbEnum.Parse<PushUrgency>(reader.GetString(8)), reader.GetInt32(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return batch;
    }

    private async Task<Result> SendAsync(PushServiceClient client, Delivery delivery)
    {
        var subscription = new PushSubscription { Endpoint = delivery.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, delivery.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, delivery.Auth);
        var left = delivery.CreatedAt.AddSeconds(delivery.TtlSeconds) - DateTimeOffset.UtcNow;
        if (left <= TimeSpan.Zero) return new Result(delivery, Outcome.Failed);
        var message = new PushMessage(delivery.Payload)
        {
            // The push service keeps one pending message per topic and subscription: a phone that was off all night gets
            // the district's latest level, not each step; a message sent twice is kept once.
            Topic = PushTopic(delivery.Topic),
            TimeToLive = (int)Math.Ceiling(left.TotalSeconds),
            Urgency = delivery.Urgency switch
            {
                PushUrgency.VeryLow => PushMessageUrgency.VeryLow,
                PushUrgency.Low => PushMessageUrgency.Low,
                PushUrgency.High => PushMessageUrgency.High,
                _ => PushMessageUrgency.Normal,
            },
        };
        try
        {
            // The library encrypts and signs before its first await, so the call runs in an encryption lane and the
            // network wait after it does not hold one. Not the stopping token: a message in flight is finished and
            // recorded, so a restart does not send it again.
            Task sending;
            await _encryption.WaitAsync(CancellationToken.None);
            try
            {
                sending = client.RequestPushMessageDeliveryAsync(subscription, message, CancellationToken.None);
            }
            finally
            {
                _encryption.Release();
            }

            await sending;
            return new Result(delivery, Outcome.Delivered, 201);
        }
        catch (PushServiceClientException e)
        {
            var status = (int)e.StatusCode;
            return e.StatusCode switch
            {
                HttpStatusCode.NotFound or HttpStatusCode.Gone => new Result(delivery, Outcome.Gone, status),
                HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError =>
                    Retry(delivery, status, RetryAfter(e.Headers?.RetryAfter)),
                _ => new Result(delivery, Outcome.Failed, status),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return Retry(delivery, null, null);
        }
    }

    private Result Retry(Delivery delivery, int? status, TimeSpan? retryAfter)
    {
        var wait = PushRetries.Wait(delivery.Attempts, retryAfter, Random.Shared.NextDouble());
        var expires = delivery.CreatedAt.AddSeconds(delivery.TtlSeconds);
        return delivery.Attempts >= _options.MaxAttempts || DateTimeOffset.UtcNow + wait >= expires
            ? new Result(delivery, Outcome.Failed, status)
            : new Result(delivery, Outcome.Retry, status, wait);
    }

    private static TimeSpan? RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    /// <summary>RFC 8030 topics are at most 32 characters of the URL-safe base64 alphabet.</summary>
    public static string PushTopic(string topic) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(topic)))[..32];

    /// <summary>Records a chunk's outcomes in one round trip; never cancelled (what was sent must be written down).</summary>
    private async Task RecordAsync(IReadOnlyList<Result> results)
    {
        long[] Notices(params Outcome[] outcomes) => [.. results.Where(r => outcomes.Contains(r.Outcome)).Select(r => r.Delivery.NoticeId)];
        long[] Subscriptions(params Outcome[] outcomes) => [.. results.Where(r => outcomes.Contains(r.Outcome)).Select(r => r.Delivery.SubscriptionId)];
        var retries = results.Where(r => r.Outcome == Outcome.Retry).ToArray();
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "DELETE FROM push_deliveries d USING unnest($1::bigint[], $2::bigint[]) AS o (n, s) WHERE d.notice_id = o.n AND d.subscription_id = o.s")
        {
            Parameters =
            {
                new() { Value = Notices(Outcome.Delivered, Outcome.Failed) },
                new() { Value = Subscriptions(Outcome.Delivered, Outcome.Failed) },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM push_subscriptions WHERE id = ANY($1)")
        {
            Parameters = { new() { Value = Subscriptions(Outcome.Gone) } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            UPDATE push_deliveries d SET due_at = now() + o.wait * interval '1 millisecond', last_status = o.status
            FROM unnest($1::bigint[], $2::bigint[], $3::double precision[], $4::integer[]) AS o (n, s, wait, status)
            WHERE d.notice_id = o.n AND d.subscription_id = o.s
            """)
        {
            Parameters =
            {
                new() { Value = Notices(Outcome.Retry) },
                new() { Value = Subscriptions(Outcome.Retry) },
                new() { Value = retries.Select(r => r.Wait!.Value.TotalMilliseconds).ToArray() },
                new() { Value = retries.Select(r => r.Status ?? 0).ToArray() },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            UPDATE push_deliveries d SET due_at = now(), attempts = d.attempts - 1
            FROM unnest($1::bigint[], $2::bigint[]) AS o (n, s) WHERE d.notice_id = o.n AND d.subscription_id = o.s
            """)
        {
            Parameters = { new() { Value = Notices(Outcome.Released) }, new() { Value = Subscriptions(Outcome.Released) } },
        });
        await batch.ExecuteNonQueryAsync(CancellationToken.None);

        foreach (var group in results.GroupBy(r => r.Outcome)) Sent.WithLabels(DbEnum.Name(group.Key)).Inc(group.Count());
        foreach (var failed in results.Where(r => r.Outcome == Outcome.Failed))
        {
            logger.LogWarning("Push notice {NoticeId} to subscription {SubscriptionId} given up after {Attempts} attempt(s) (last answer {Status})",
                failed.Delivery.NoticeId, failed.Delivery.SubscriptionId, failed.Delivery.Attempts, failed.Status);
        }
    }

    /// <summary>One signed VAPID token per push service (audience) until it expires, not one per message.</summary>
    private sealed class TokenCache : IVapidTokenCache
    {
        private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();

        public void Put(string audience, DateTimeOffset expiration, string token) => _tokens[audience] = (token, expiration);

        public string? Get(string audience) =>
            _tokens.TryGetValue(audience, out var kept) && kept.Expires > DateTimeOffset.UtcNow.AddMinutes(5) ? kept.Token : null;
    }
}
