using System.Net;
using System.Net.Sockets;

namespace Bousai.Testing;

public static class FreePorts
{
    /// <summary>A loopback port nothing listens on right now (the OS's choice for an ephemeral listener).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
