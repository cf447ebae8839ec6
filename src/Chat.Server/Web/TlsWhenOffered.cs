using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Chat.Server.Transport;

namespace Chat.Server.Web;

/// <summary>
/// Lets the HTTP listener's one port serve both <c>http://</c> and <c>https://</c> (so <c>ws://</c>
/// and <c>wss://</c>) when the server has a certificate: a connection whose first byte opens a TLS
/// record goes through Kestrel's own TLS, any other goes straight to HTTP. One port means the
/// address a newcomer opens first keeps working when TLS is switched on.
/// </summary>
internal static class TlsWhenOffered
{
    // Every TLS connection starts with a handshake record (content type 22); no HTTP method does.
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>
    /// Adds the choice and the TLS behind it to <paramref name="listen"/>; call it before the HTTP
    /// protocols are set, so that it sees each connection first.
    /// </summary>
    public static ListenOptions UseTlsWhenOffered(this ListenOptions listen, TimeSpan handshakeTimeout)
    {
        // Kestrel composes a listener's steps from the last to the first, so the step after TLS
        // learns the plain HTTP handler before the first step is made and can hand it over.
        ConnectionDelegate? plain = null;
        listen.Use(next => context => ChooseAsync(context, next, plain!, handshakeTimeout));
        listen.UseChatTls(handshakeTimeout);
        listen.Use(http => plain = http);
        return listen;
    }

    private static async Task ChooseAsync(ConnectionContext context, ConnectionDelegate tls, ConnectionDelegate plain, TimeSpan timeout)
    {
        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(context.ConnectionClosed);
        firstByte.CancelAfter(timeout);
        bool offersTls;
        try
        {
            var input = context.Transport.Input;
            var read = await input.ReadAtLeastAsync(1, firstByte.Token);
            if (read.Buffer.IsEmpty)
            {
                return;
            }

            offersTls = read.Buffer.FirstSpan[0] == TlsHandshakeRecord;
            // Nothing is consumed: TLS or HTTP reads the byte again.
            input.AdvanceTo(read.Buffer.Start);
        }
        catch (OperationCanceledException)
        {
            // Silent for the whole handshake timeout, or gone: close it, as TLS would.
            return;
        }

        await (offersTls ? tls : plain)(context);
    }
}
