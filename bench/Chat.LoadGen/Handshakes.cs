using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Chat.Protocol;

namespace Chat.LoadGen;

/// <summary>Opens a connection and reads the server-first handshake (PROTOCOL.md, "Conversation" 2).</summary>
internal static class Handshakes
{
    // A handshake frame is a few bytes; a refusal's reason a few dozen.
    public const int BufferSize = 512;

    public static Socket CreateSocket() =>
        new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    /// <summary>Reads one handshake frame into <paramref name="buffer"/>; returns the id, or throws when refused.</summary>
    public static ValueTask<long> ReadAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken) =>
        ReadAsync((memory, token) => socket.ReceiveAsync(memory, SocketFlags.None, token), buffer, cancellationToken);

    /// <summary>
    /// Connects, completes a TLS handshake accepting any certificate (a benchmark measures the
    /// server's cost, not the trust in it), then reads the chat handshake; returns the id and the stream.
    /// </summary>
    public static async ValueTask<(long Id, SslStream Stream)> ConnectTlsAsync(Socket socket, IPEndPoint endPoint, byte[] buffer, CancellationToken cancellationToken)
    {
        await socket.ConnectAsync(endPoint, cancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
#pragma warning disable CA5359 // chat-bench --tls: load on the server's TLS port, any certificate, as its help says.
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        }, cancellationToken);
        return (await ReadAsync(tls.ReadAsync, buffer, cancellationToken), tls);
    }

    /// <summary>Reads one handshake frame through <paramref name="receive"/>; returns the id, or throws when refused.</summary>
    public static async ValueTask<long> ReadAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> receive, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            var read = await receive(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                throw new HandshakeException("the server closed the connection before its handshake");
            }

            filled += read;
            var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
            if (FrameReader.TryReadFrame(ref sequence, BufferSize - FrameLimits.MaxPrefixLength, out var body))
            {
                var handshake = MessageDecoder.Parse(Handshake.Parser, body);
                if (handshake.Error || handshake.Id <= 0)
                {
                    throw new HandshakeException($"refused: {handshake.Reason} ({handshake.Refusal})");
                }

                if (sequence.Length != 0)
                {
                    throw new HandshakeException("the server sent more than its handshake");
                }

                return handshake.Id;
            }

            if (filled == buffer.Length)
            {
                throw new HandshakeException("handshake frame too long");
            }
        }
    }

    /// <summary>Connects and, unless <paramref name="raw"/>, reads the handshake; returns the id (0 when raw).</summary>
    public static async ValueTask<long> ConnectAsync(Socket socket, IPEndPoint endPoint, bool raw, byte[] buffer, CancellationToken cancellationToken)
    {
        await socket.ConnectAsync(endPoint, cancellationToken);
        return raw ? 0 : await ReadAsync(socket, buffer, cancellationToken);
    }
}
