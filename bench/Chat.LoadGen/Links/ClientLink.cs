using System.Net;

namespace Chat.LoadGen.Links;

/// <summary>
/// One client connection whatever the transport, seen as a stream of length-delimited frames both
/// ways: what is sent is whole frames (prefix and body), what is received reads as whole frames too,
/// so every mode parses and checks the same bytes over TCP, TLS and WebSocket. One send and one
/// receive may be outstanding at a time, as with a socket.
/// </summary>
internal abstract class ClientLink : IDisposable
{
    /// <summary>A link of <paramref name="transport"/>; <paramref name="useTls"/> is for TCP only.</summary>
    public static ClientLink Create(TransportKind transport, bool useTls = false) => transport switch
    {
        TransportKind.WebSocket => new WebSocketLink(),
        TransportKind.Resp => new RespLink(),
        _ => new TcpLink(useTls),
    };

    /// <summary>Connects and reads the server-first handshake; returns the id, or throws <see cref="HandshakeException"/> when refused.</summary>
    public abstract ValueTask<long> ConnectAsync(IPEndPoint endPoint, byte[] handshakeBuffer, CancellationToken cancellationToken);

    /// <summary>Sends whole frames; completes once they are handed to the transport.</summary>
    public abstract ValueTask<int> SendAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken);

    /// <summary>Reads what has arrived, as length-delimited frames (possibly a part of one over TCP); 0 once the server has closed.</summary>
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>For an idle connection: starts noticing whether the server closes it (or sends anything).</summary>
    public virtual void WatchIdle()
    {
    }

    /// <summary>For an idle connection being watched: true when the server closed it or sent something.</summary>
    public abstract bool IdleEnded { get; }

    /// <summary>Ends the connection as a client that leaves does (a WebSocket says so with a close frame first).</summary>
    public virtual ValueTask CloseAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public abstract void Dispose();
}
