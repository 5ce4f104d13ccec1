using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Bousai.Testing;

public static class FreePorts
{
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>
    /// A loopback port nothing listens on right now, for a listener the test starts later. It is taken below the
    /// kernel's ephemeral range (ip_local_port_range): a port from that range can meanwhile become the local port of
    /// any outgoing connection (to PostgreSQL, a push service, a browser), and the listener then fails with "address
    /// already in use". Each port is handed out once per test process.
    /// </summary>
    public static int Next()
    {
        var (low, high) = (10_000, EphemeralStart() - 1);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(low, high + 1);
            if (!HandedOut.TryAdd(port, true)) continue;
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // another process listens there
            }
        }

        throw new InvalidOperationException($"No free loopback port between {low} and {high}.");
    }

    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0]) is var start and > 11_000 ? start : 32_768;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32_768;
        }
    }
}
