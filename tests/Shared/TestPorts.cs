using System.Net;
using System.Net.Sockets;

namespace RxInfer.Testing;

/// <summary>Loopback ports for hosts and servers a test starts outside the process or must name before it starts.</summary>
internal static class TestPorts
{
    /// <summary>
    /// A loopback port that was free a moment ago (the system picks it, then it is released). Nothing listens on it
    /// until the caller starts something there; prefer <c>http://127.0.0.1:0</c> when the host can report its address.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
