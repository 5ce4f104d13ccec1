using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Bousai.Bench;

/// <summary>
/// One resident's phone on /hubs/public, as lean as a client can be: a raw WebSocket speaking the SignalR JSON hub
/// protocol (no negotiate request, no SignalR client library), so ten thousand of them fit in one process beside the
/// server. It follows the situation from a snapshot, checks that every batch continues the last, and hands each
/// event to <see cref="OnEvent"/> with the Stopwatch timestamp of the frame that carried it (taken before parsing).
/// </summary>
public abstract class PublicHubClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] FollowFromSnapshot = "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Follow\",\"arguments\":[null]}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly byte[] _frame = new byte[4096];
    private readonly TaskCompletionSource _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ArrayBufferWriter<byte>? _partial;
    private Task _receiving = Task.CompletedTask;
    private long _lastThrough = -1;

    protected PublicHubClient()
    {
        // SignalR's own pings keep the connection alive; WebSocket-level pings would only add traffic.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        _socket.Options.SetBuffer(4096, 1024);
    }

    /// <summary>Completes when the first message, the snapshot, has arrived.</summary>
    public Task Snapshot => _snapshot.Task;

    /// <summary>Why this client stopped following (a transport error, a completed stream, a resync, a gap); null while it is healthy.</summary>
    public string? Failure { get; private set; }

    /// <summary>Batches whose "after" did not continue the previous message's "through": each is a lost range.</summary>
    public int Gaps { get; private set; }

    public async Task ConnectAsync(Uri hub, CancellationToken ct)
    {
        await _socket.ConnectAsync(hub, ct);
        await _socket.SendAsync(Handshake, WebSocketMessageType.Text, true, ct);
        // The handshake answer is the first record; nothing else is sent to us before we invoke Follow.
        var handshake = await ReceiveHandshakeAsync(ct);
        if (handshake.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Hub handshake refused: {handshake}");
        }

        await SendAsync(FollowFromSnapshot, ct);
        _receiving = ReceiveAsync();
    }

    public Task PingAsync(CancellationToken ct) => Failure is null ? SendAsync(Ping, ct) : Task.CompletedTask;

    /// <summary>Closes the WebSocket politely and waits (briefly) for the server to answer the close.</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _sending.WaitAsync(ct);
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }
                finally
                {
                    _sending.Release();
                }
            }

            await _receiving.WaitAsync(TimeSpan.FromSeconds(10), ct);
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await CloseAsync(timeout.Token);
        _socket.Dispose();
        _sending.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One event of a batch (public projection, JSON as sent), and when its frame arrived.</summary>
    protected abstract void OnEvent(JsonElement change, long arrived);

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

    private async Task<string> ReceiveHandshakeAsync(CancellationToken ct)
    {
        var received = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_frame.AsMemory(received), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the connection during the hub handshake.");
            }

            received += result.Count;
            var end = Array.IndexOf(_frame, RecordSeparator, 0, received);
            if (end >= 0)
            {
                return System.Text.Encoding.UTF8.GetString(_frame, 0, end);
            }

            if (received == _frame.Length) throw new InvalidOperationException("The hub handshake answer is larger than expected.");
        }
    }

    private async Task ReceiveAsync()
    {
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(_frame.AsMemory(), CancellationToken.None);
                // Taken as soon as the frame is in, before any parsing: that is when the phone has the message.
                var arrived = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Fail("the server closed the connection");
                    return;
                }

                Split(_frame.AsSpan(0, result.Count), arrived);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Fail($"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Records end with 0x1E; a frame may hold several records, and a record may span several frames.</summary>
    private void Split(ReadOnlySpan<byte> data, long arrived)
    {
        while (data.Length > 0)
        {
            var end = data.IndexOf(RecordSeparator);
            if (end < 0)
            {
                (_partial ??= new ArrayBufferWriter<byte>(8192)).Write(data);
                return;
            }

            if (_partial is { WrittenCount: > 0 })
            {
                _partial.Write(data[..end]);
                Handle(_partial.WrittenSpan, arrived);
                // A snapshot can be tens of kilobytes: do not keep that much per client once it is read.
                _partial = _partial.Capacity > 16384 ? null : _partial;
                _partial?.ResetWrittenCount();
            }
            else
            {
                Handle(data[..end], arrived);
            }

            data = data[(end + 1)..];
        }
    }

    private void Handle(ReadOnlySpan<byte> record, long arrived)
    {
        var reader = new Utf8JsonReader(record);
        using var message = JsonDocument.ParseValue(ref reader);
        var root = message.RootElement;
        if (!root.TryGetProperty("type", out var type)) return; // a late handshake answer
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
                foreach (var change in item.GetProperty("events").EnumerateArray()) OnEvent(change, arrived);

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

