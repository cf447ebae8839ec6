using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Chat.Server.Web;

/// <summary>
/// The HTTP endpoint (chat page and <c>/ws</c>) as Kestrel bound it, so that the real port is known
/// when it was configured as 0.
/// </summary>
internal sealed class WebEndPoint
{
    private ListenOptions? _listen;

    /// <summary>The bound address; null before Kestrel has started.</summary>
    public IPEndPoint? EndPoint => _listen?.IPEndPoint;

    /// <summary>
    /// <c>host:port</c> as a person on this machine types it into a browser: <c>localhost</c> for
    /// a wildcard address (which a browser cannot open), brackets around IPv6.
    /// </summary>
    public static string BrowserAuthority(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "localhost"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
            : address.ToString();
        return $"{host}:{endPoint.Port}";
    }

    /// <summary>
    /// Configures Kestrel's endpoint and keeps it; Kestrel writes the bound port back into it. With a
    /// <paramref name="tlsHandshakeTimeout"/> (the server has a certificate) the port serves https and
    /// wss beside http and ws.
    /// </summary>
    public void Configure(ListenOptions listen, TimeSpan? tlsHandshakeTimeout)
    {
        if (tlsHandshakeTimeout is { } timeout)
        {
            listen.UseTlsWhenOffered(timeout);
        }

        // WebSocket upgrades are HTTP/1.1; one protocol keeps the endpoint simple to reason about.
        listen.Protocols = HttpProtocols.Http1;
        _listen = listen;
    }
}
