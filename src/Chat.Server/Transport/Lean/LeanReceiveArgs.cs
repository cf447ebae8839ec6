using System.Net.Sockets;

namespace Chat.Server.Transport.Lean;

/// <summary>The zero-byte receive of one connection: no buffer, only the news that bytes arrived.</summary>
internal sealed class LeanReceiveArgs : SocketAsyncEventArgs
{
    private readonly LeanSocketReader _reader;

    public LeanReceiveArgs(LeanSocketReader reader)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _reader = reader;
        SetBuffer(Memory<byte>.Empty);
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => _reader.OnReadinessCompleted(SocketError);
}
