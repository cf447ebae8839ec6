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
