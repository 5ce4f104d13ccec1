using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Bousai.Bench.Ingest;

/// <summary>A gauge state as it reached the resident: which reading it carries, when the server logged it, and when it arrived here.</summary>
public readonly record struct StationArrival(string StationId, long ObservedAtMs, DateTimeOffset EventAt, long ArrivedTimestamp);

/// <summary>
/// One resident's browser on /hubs/public, speaking the SignalR JSON hub protocol over a raw WebSocket like the
/// live-fanout clients (no negotiate request, handshake, then Follow(null)), that records every station_state_changed
/// event for the stations it watches, stamped when its frame arrived, before parsing.
/// </summary>
public sealed class StationFollower(string stationPrefix) : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] FollowFromSnapshot = "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Follow\",\"arguments\":[null]}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TaskCompletionSource _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ArrayBufferWriter<byte> _partial = new(64 * 1024);
    private readonly List<StationArrival> _arrivals = [];
    private readonly Lock _gate = new();
    private Task _receiving = Task.CompletedTask;
    private long _lastThrough = -1;

    public Task Snapshot => _snapshot.Task;

    public string? Failure { get; private set; }

    /// <summary>Batches whose "after" did not continue the previous "through".</summary>
    public int Gaps { get; private set; }

    public IReadOnlyList<StationArrival> Arrivals
    {
        get { lock (_gate) return [.. _arrivals]; }
    }

    public async Task ConnectAsync(Uri hub, CancellationToken ct)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(hub, ct);
        await SendAsync(Handshake, ct);
        _receiving = ReceiveAsync();
        await SendAsync(FollowFromSnapshot, ct);
    }

    public Task PingAsync(CancellationToken ct) => Failure is null ? SendAsync(Ping, ct) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                await _receiving.WaitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
        {
            _socket.Abort();
        }

        _socket.Dispose();
        _sending.Dispose();
    }

    private async Task SendAsync(byte[] message, CancellationToken ct)
    {
        await _sending.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        var frame = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(frame.AsMemory(), CancellationToken.None);
                var arrived = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Fail("the server closed the connection");
                    return;
                }

                var data = frame.AsSpan(0, result.Count);
                while (data.Length > 0)
                {
                    var end = data.IndexOf(RecordSeparator);
                    if (end < 0)
                    {
                        _partial.Write(data);
                        break;
                    }

                    if (_partial.WrittenCount > 0)
                    {
                        _partial.Write(data[..end]);
                        Handle(_partial.WrittenSpan, arrived);
                        _partial.ResetWrittenCount();
                    }
                    else
                    {
                        Handle(data[..end], arrived);
                    }

                    data = data[(end + 1)..];
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Fail($"{e.GetType().Name}: {e.Message}");
        }
    }

    private void Handle(ReadOnlySpan<byte> record, long arrived)
    {
        var reader = new Utf8JsonReader(record);
        using var message = JsonDocument.ParseValue(ref reader);
        var root = message.RootElement;
        if (!root.TryGetProperty("type", out var type)) return; // the handshake answer: {} or {"error":…}
        switch (type.GetInt32())
        {
            case 2:
                HandleItem(root.GetProperty("item"), arrived);
                break;
            case 3:
                Fail(root.TryGetProperty("error", out var error) ? $"stream completed with error: {error}" : "stream completed");
                break;
            case 7:
                Fail(root.TryGetProperty("error", out var reason) ? $"closed by the server: {reason}" : "closed by the server");
                break;
        }
    }

    private void HandleItem(JsonElement item, long arrived)
    {
        switch (item.GetProperty("type").GetString())
        {
            case "snapshot":
                _lastThrough = item.GetProperty("snapshot").GetProperty("seq").GetInt64();
                _snapshot.TrySetResult();
                break;
            case "events":
                if (item.GetProperty("after").GetInt64() != _lastThrough) Gaps++;
                _lastThrough = item.GetProperty("through").GetInt64();
                foreach (var change in item.GetProperty("events").EnumerateArray())
                {
                    if (change.GetProperty("kind").GetString() != "station_state_changed") continue;
                    var state = change.GetProperty("state");
                    var station = state.GetProperty("stationId").GetString()!;
                    if (!station.StartsWith(stationPrefix, StringComparison.Ordinal)) continue;
                    var observedAt = state.GetProperty("observedAt").GetDateTimeOffset().ToUnixTimeMilliseconds();
                    lock (_gate) _arrivals.Add(new StationArrival(station, observedAt, change.GetProperty("at").GetDateTimeOffset(), arrived));
                }

                break;
            case "resync":
                Fail($"told to resync: {item.GetProperty("reason").GetString()}");
                break;
        }
    }

    private void Fail(string why)
    {
        Failure ??= why;
        _snapshot.TrySetException(new InvalidOperationException(why));
    }
}
