using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Transport;

/// <summary>Kestrel's own TLS in front of the chat connection handler, on the TLS port.</summary>
internal static class TlsListenOptions
{
    /// <summary>
    /// Adds TLS 1.2 and 1.3 to <paramref name="listen"/>. Each handshake takes the store's current
    /// certificate context, so a reload reaches new connections at once. A client that never starts
    /// TLS, stalls inside the handshake or speaks plain text is closed by Kestrel within
    /// <paramref name="handshakeTimeout"/> (logged at Debug by Kestrel's HttpsConnectionMiddleware)
    /// and never reaches a session.
    /// </summary>
    /// <remarks>
    /// The per-connection callback, not HttpsConnectionAdapterOptions.ServerCertificateSelector: a
    /// selected certificate is sent without the intermediates of certbot's fullchain.pem (Kestrel
    /// ignores ServerCertificateChain once a selector is set), and clients that trust only the root,
    /// as Python's ssl module does, then refuse it. A context also builds the chain once per load
    /// instead of once per handshake.
    /// </remarks>
    public static ListenOptions UseChatTls(this ListenOptions listen, TimeSpan handshakeTimeout)
    {
        var store = listen.ApplicationServices.GetRequiredService<TlsCertificateStore>();
        return listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = handshakeTimeout,
            OnConnectionState = store,
            OnConnection = static context => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = ((TlsCertificateStore)context.State!).Current.Context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                AllowRenegotiation = false,
            }),
        });
    }
}
