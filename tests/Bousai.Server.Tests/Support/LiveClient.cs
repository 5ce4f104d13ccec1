using System.Net;
using Bousai.Server.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Bousai.Server.Tests.Support;

/// <summary>
/// A hub client that behaves like the web client: follows the situation from a snapshot, checks every batch starts
/// where the last one ended, resumes from its last position after the connection drops, reloads on resync.
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<SituationEvent> _events = [];
    private readonly List<string> _violations = [];
    private readonly List<ResyncReason> _resyncs = [];
    private Task _following = Task.CompletedTask;

    private LiveClient(HubConnection connection) => _connection = connection;

    public long? LastThrough { get; private set; }
    public SituationSnapshot? Snapshot { get; private set; }
    public int Snapshots { get; private set; }
    public int Messages { get; private set; }
    /// <summary>How many times the stream broke and was resumed from LastThrough.</summary>
    public int Resumes { get; private set; }
    public bool ReloadOnResync { get; init; } = true;

    public IReadOnlyList<SituationEvent> Events { get { lock (_gate) return [.. _events]; } }
    public IReadOnlyList<string> Violations { get { lock (_gate) return [.. _violations]; } }
    public IReadOnlyList<ResyncReason> Resyncs { get { lock (_gate) return [.. _resyncs]; } }

    public static async Task<LiveClient> ConnectAsync(Uri server, string hubPath, CookieContainer? cookies = null, bool reloadOnResync = true)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, hubPath), options =>
            {
                if (cookies is not null) options.Cookies = cookies;
            })
            .WithAutomaticReconnect(new EveryFifthOfASecond())
            .AddJsonProtocol(options => BousaiJson.Configure(options.PayloadSerializerOptions))
            .Build();
        await connection.StartAsync();
        return new LiveClient(connection) { ReloadOnResync = reloadOnResync };
    }

    /// <summary>Starts following from <paramref name="after"/> (null: from a snapshot) and keeps following until disposed.</summary>
    public LiveClient Follow(long? after = null)
    {
        LastThrough = after;
        _following = Task.Run(FollowLoopAsync);
        return this;
    }

    private async Task FollowLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var stream = _connection.StreamAsync<SituationMessage>("Follow", LastThrough, _stop.Token);
                await foreach (var message in stream)
                {
                    Apply(message);
                }

                // The server ended the stream: only after a resync.
                if (!ReloadOnResync) return;
                LastThrough = null;
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                lock (_gate) Resumes++;
                while (_connection.State != HubConnectionState.Connected && !_stop.IsCancellationRequested)
                {
                    await Task.Delay(50);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Apply(SituationMessage message)
    {
        lock (_gate)
        {
            Messages++;
            switch (message.Type)
            {
                case SituationMessageType.Snapshot:
                    Snapshot = message.Snapshot;
                    Snapshots++;
                    LastThrough = message.Snapshot!.Seq;
                    break;
                case SituationMessageType.Events:
                    if (message.After != LastThrough) _violations.Add($"batch after {message.After} but the client is at {LastThrough}");
                    var previous = message.After!.Value;
                    foreach (var change in message.Events!)
                    {
                        if (change.Seq <= previous || change.Seq > message.Through) _violations.Add($"event {change.Seq} out of order after {previous} in ({message.After}, {message.Through}]");
                        previous = change.Seq;
                        _events.Add(change);
                    }

                    LastThrough = message.Through;
                    break;
                case SituationMessageType.Resync:
                    _resyncs.Add(message.Reason!.Value);
                    break;
            }
        }
    }

    public async Task WaitUntilAsync(Func<LiveClient, bool> condition, string what, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}: at {LastThrough}, {Events.Count} events, {Snapshots} snapshots, " +
                    $"resyncs [{string.Join(", ", Resyncs)}], violations [{string.Join("; ", Violations.Take(5))}]");
            }

            if (_following.IsFaulted) await _following;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _connection.DisposeAsync();
        try { await _following; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class EveryFifthOfASecond : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => TimeSpan.FromMilliseconds(200);
    }
}
