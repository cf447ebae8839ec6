using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Chat.LoadGen.Links;

/// <summary>The chat port: a socket's bytes are already length-delimited frames; TLS wraps them in an <see cref="SslStream"/>.</summary>
internal sealed class TcpLink : ClientLink
{
    private readonly bool _useTls;
    private readonly Socket _socket = Handshakes.CreateSocket();
    private SslStream? _tls;

    public TcpLink(bool useTls) => _useTls = useTls;

    public Socket Socket => _socket;

    public override async ValueTask<long> ConnectAsync(IPEndPoint endPoint, byte[] handshakeBuffer, CancellationToken cancellationToken)
    {
        if (_useTls)
        {
            (var id, _tls) = await Handshakes.ConnectTlsAsync(_socket, endPoint, handshakeBuffer, cancellationToken);
            return id;
        }

        return await Handshakes.ConnectAsync(_socket, endPoint, raw: false, handshakeBuffer, cancellationToken);
    }

    /// <summary>Connects without waiting for a handshake (another server, such as Redis, says nothing first).</summary>
    public ValueTask ConnectRawAsync(IPEndPoint endPoint, CancellationToken cancellationToken) => _socket.ConnectAsync(endPoint, cancellationToken);

    public override ValueTask<int> SendAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken) =>
        _tls is null ? _socket.SendAsync(frames, SocketFlags.None, cancellationToken) : WriteTlsAsync(_tls, frames, cancellationToken);

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _tls is null ? _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) : _tls.ReadAsync(buffer, cancellationToken);

    // An idle connection the server closed reads as readable with nothing to read.
    public override bool IdleEnded => _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;

    public override void Dispose()
    {
        _tls?.Dispose();
        _socket.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> WriteTlsAsync(SslStream tls, ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        await tls.WriteAsync(frames, cancellationToken);
        return frames.Length;
    }
}
