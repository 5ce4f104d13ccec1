using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace Bousai.Server.Sensors;

/// <summary>
/// The embedded broker's TCP listener, in place of MQTTnet's own, for what MQTTnet 5's server has no option for. Its
/// channel adapter reads a packet's Remaining Length and allocates a buffer that size before reading the body (up to
/// 256 MB, even before CONNECT, so a few bytes cost a quarter of a gigabyte); MQTTnet's Maximum Packet Size is only the
/// client's limit for what the server sends. So each connection's bytes pass through <see cref="PacketSizeLimit"/>,
/// which reads the MQTT framing as it goes by and ends the connection at the first header that declares more than
/// Mqtt:MaxPacketBytes, before MQTTnet sees that header. Everything else is MQTTnet's own: its TCP channel, channel
/// adapter and packet formatter, as its listener builds them.
/// </summary>
public sealed class BrokerListener(MqttOptions options, Action<EndPoint?, long> oversized, ILogger logger) : IMqttServerAdapter
{
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        _listener = new TcpListener(IPAddress.Parse(options.Host), options.Port);
        _listener.Start(serverOptions.DefaultEndpointOptions.ConnectionBacklog);
        _ = Task.Run(() => AcceptAsync(_listener, serverOptions, mqttLogger, _stopping.Token));
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _stopping.Cancel();
        _listener?.Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, MqttServerOptions serverOptions, IMqttNetLogger mqttLogger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogWarning("Embedded MQTT broker could not accept a connection: {Error}", e.Message);
                continue;
            }

            _ = Task.Run(() => ServeAsync(socket, serverOptions, mqttLogger), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket socket, MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        var remote = socket.RemoteEndPoint;
        try
        {
            socket.NoDelay = true;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var channel = new PacketSizeLimit(new MqttTcpChannel(stream, socket.LocalEndPoint, remote, null), options.MaxPacketBytes,
                declared => oversized(remote, declared));
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(serverOptions.WriterBufferSize, serverOptions.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, mqttLogger);
            adapter.AllowPacketFragmentation = serverOptions.DefaultEndpointOptions.AllowPacketFragmentation;
            if (ClientHandler is { } handler) await handler(new EmptyClientIdAssigner(adapter));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            logger.LogDebug("MQTT connection from {Endpoint} ended: {Error}", remote, e.Message);
        }
        finally
        {
            socket.Dispose();
        }
    }
}

/// <summary>
/// Passes a connection's bytes through while following the MQTT framing (one type byte, a Remaining Length of one to
/// four 7-bit bytes, then that many body bytes), and ends the connection (end of stream for the reader) as soon as a
/// packet would exceed the limit, so no buffer for it is ever allocated.
/// </summary>
public sealed class PacketSizeLimit(IMqttChannel inner, int maxPacketBytes, Action<long> refused) : IMqttChannel
{
    private int _lengthBytes = -1; // -1: the next byte starts a packet; 0..4: Remaining Length bytes read so far
    private long _length;
    private long _bodyLeft;
    private bool _ended;

    public X509Certificate2? ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_ended) return 0;
        var read = await inner.ReadAsync(buffer, offset, count, cancellationToken);
        var end = offset + read;
        for (var i = offset; i < end;)
        {
            if (_bodyLeft > 0)
            {
                var skip = (int)Math.Min(_bodyLeft, end - i);
                _bodyLeft -= skip;
                i += skip;
                continue;
            }

            var b = buffer[i++];
            if (_lengthBytes < 0)
            {
                _lengthBytes = 0;
                _length = 0;
                continue;
            }

            _length |= (long)(b & 0x7F) << (7 * _lengthBytes);
            _lengthBytes++;
            var declared = 1 + _lengthBytes + _length;
            // A fifth length byte is malformed; either way the packet is refused before MQTTnet reads its header.
            if (declared > maxPacketBytes || (_lengthBytes == 4 && (b & 0x80) != 0))
            {
                _ended = true;
                refused(declared);
                return 0;
            }

            if ((b & 0x80) != 0) continue;
            _bodyLeft = _length;
            _lengthBytes = -1;
        }

        return read;
    }

    public void Dispose() => inner.Dispose();
}

/// <summary>
/// MQTT 3.1.1 lets a client with a clean session send an empty client id and have the server assign one
/// (mosquitto_pub and many data loggers do); MQTTnet assigns one only for MQTT 5 (EmbeddedBroker sets it), so this
/// fills it in on the CONNECT of an older client. Everything else passes straight through.
/// </summary>
public sealed class EmptyClientIdAssigner(IMqttChannelAdapter inner) : IMqttChannelAdapter
{
    private bool _connected;

    public long BytesReceived => inner.BytesReceived;

    public long BytesSent => inner.BytesSent;

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

    public void ResetStatistics() => inner.ResetStatistics();

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        var packet = await inner.ReceivePacketAsync(cancellationToken);
        if (!_connected && packet is MqttConnectPacket connect)
        {
            _connected = true;
            if (string.IsNullOrEmpty(connect.ClientId) && connect.CleanSession && inner.PacketFormatterAdapter.ProtocolVersion != MqttProtocolVersion.V500)
            {
                connect.ClientId = EmbeddedBroker.AssignClientId();
            }
        }

        return packet;
    }

    public void Dispose() => inner.Dispose();
}
