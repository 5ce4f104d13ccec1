using System.Net.Sockets;
using System.Text;

namespace Bousai.Server.Tests.Support;

/// <summary>
/// MQTT 5 written byte by byte over a plain socket, for what a well-behaved client library refuses to send: topics with
/// wildcards, NUL bytes or 65,000 bytes, packets declaring 200 MB, a connection that never sends CONNECT.
/// </summary>
public sealed class RawMqttConnection : IDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private NetworkStream _stream = null!;
    private ushort _packetId;

    public static async Task<RawMqttConnection> OpenAsync(int port)
    {
        var connection = new RawMqttConnection();
        await connection._tcp.ConnectAsync("127.0.0.1", port);
        connection._stream = connection._tcp.GetStream();
        return connection;
    }

    /// <summary>Sends CONNECT (clean start) and returns the CONNACK reason code.</summary>
    public async Task<byte> ConnectAsync(string clientId, string userName, string password)
    {
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 5, 0b1100_0010, 0, 60, 0 };
        foreach (var text in new[] { clientId, userName, password }) body.AddRange(Utf8String(Encoding.UTF8.GetBytes(text)));
        await SendAsync(0x10, body.ToArray());
        var (type, connack) = await ReceiveAsync();
        if (type != 0x20) throw new InvalidOperationException($"expected CONNACK, got packet type {type:x2}");
        return connack[1];
    }

    /// <summary>A QoS 1 PUBLISH; the PUBACK's reason code, or null when the broker closed the connection instead.</summary>
    public async Task<byte?> PublishAsync(byte[] topic, string payload, bool retain = false)
    {
        var id = ++_packetId;
        var body = new List<byte>(Utf8String(topic)) { (byte)(id >> 8), (byte)id, 0 };
        body.AddRange(Encoding.UTF8.GetBytes(payload));
        try
        {
            await SendAsync((byte)(0x32 | (retain ? 1 : 0)), body.ToArray());
            while (true)
            {
                var (type, ack) = await ReceiveAsync();
                if (type == 0xE0) return null; // DISCONNECT
                if (type != 0x40) continue;
                return ack.Length > 2 ? ack[2] : (byte)0;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Writes raw bytes; false once the broker has closed the connection.</summary>
    public async Task<bool> TryWriteAsync(byte[] bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits until the broker closes the connection (or <paramref name="within"/> passes: false).</summary>
    public async Task<bool> ClosedByBrokerAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0) { }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return true;
        }
    }

    public static byte[] VariableLength(long value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            bytes.Add(value > 0 ? (byte)(b | 0x80) : b);
        } while (value > 0);

        return bytes.ToArray();
    }

    private static byte[] Utf8String(byte[] bytes) => [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];

    private async Task SendAsync(byte header, byte[] body)
    {
        await _stream.WriteAsync((byte[])[header, .. VariableLength(body.Length), .. body]);
    }

    private async Task<(byte Type, byte[] Body)> ReceiveAsync()
    {
        var header = await ReadByteAsync();
        long length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = await ReadByteAsync();
            length |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }

        var body = new byte[length];
        await _stream.ReadExactlyAsync(body);
        return ((byte)(header & 0xF0), body);
    }

    private async Task<byte> ReadByteAsync()
    {
        var one = new byte[1];
        await _stream.ReadExactlyAsync(one);
        return one[0];
    }

    public void Dispose() => _tcp.Dispose();
}
