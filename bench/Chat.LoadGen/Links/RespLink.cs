using System.Net;
using System.Net.Sockets;

namespace Chat.LoadGen.Links;

/// <summary>
/// A Redis server's port, spoken to in RESP, so that the generator measures Redis the way it measures
/// the chat server: the connection's opening exchange is <c>PING</c> and its <c>+PONG</c> (Redis says
/// nothing first, so this stands for the handshake), and the echo mode's messages are
/// <c>ECHO</c> commands (<see cref="Echo.RespEchoTemplate"/>). Bytes go both ways unchanged.
/// </summary>
internal sealed class RespLink : ClientLink
{
    private static readonly byte[] Ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();
    private static readonly byte[] Pong = "+PONG\r\n"u8.ToArray();

    // Redis has no ids; each connection gets one of its own so that reports and errors can name it.
    private static long _lastId;

    private readonly Socket _socket = Handshakes.CreateSocket();

    public override async ValueTask<long> ConnectAsync(IPEndPoint endPoint, byte[] handshakeBuffer, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(endPoint, cancellationToken);
        await _socket.SendAsync(Ping, SocketFlags.None, cancellationToken);
        var filled = 0;
        while (filled < Pong.Length)
        {
            var read = await _socket.ReceiveAsync(handshakeBuffer.AsMemory(filled, Pong.Length - filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new HandshakeException("the server closed the connection before it answered PING");
            }

            filled += read;
            // Said at the first byte that differs: a server that speaks first (a chat server) is not kept waiting for more.
            if (!Pong.AsSpan().StartsWith(handshakeBuffer.AsSpan(0, filled)))
            {
                throw new HandshakeException($"PING was not answered with +PONG (is this a Redis server?): {Convert.ToHexString(handshakeBuffer, 0, filled)}");
            }
        }

        return Interlocked.Increment(ref _lastId);
    }

    public override ValueTask<int> SendAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken) =>
        _socket.SendAsync(frames, SocketFlags.None, cancellationToken);

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public override bool IdleEnded => _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;

    public override void Dispose() => _socket.Dispose();
}
