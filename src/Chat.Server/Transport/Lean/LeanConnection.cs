using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Server.Transport.Lean;

/// <summary>
/// One chat connection on the lean transport: the socket, its reader and writer, and the features
/// Kestrel and the session ask for. It serves most features itself and keeps the few Kestrel sets
/// in fields (see LeanConnection.Features.cs), so a connection is four small objects besides the
/// socket's own.
/// </summary>
internal sealed partial class LeanConnection : ConnectionContext, IDuplexPipe
{
    private readonly Socket _socket;
    private readonly long _id;
    private readonly LeanSocketReader _reader;
    private readonly LeanSocketWriter _writer;

    // Kept, since a closed socket no longer answers: the hub records the address after the close.
    private readonly EndPoint? _remoteEndPoint;
    private EndPoint? _localEndPoint;
    private string? _connectionId;
    private IDictionary<object, object?>? _items;
    private IDuplexPipe? _transport;
    private int _closed;

    public LeanConnection(Socket socket, long id, bool inlineCompletions)
    {
        _socket = socket;
        _id = id;
        // Sends and receives that find the socket not ready return at once; waits are the asynchronous ones.
        socket.Blocking = false;
        _remoteEndPoint = socket.RemoteEndPoint;
        _reader = new LeanSocketReader(socket, inlineCompletions);
        _writer = new LeanSocketWriter(socket, this, inlineCompletions);
    }

    // Made when asked for, not kept: an idle connection need not hold its name.
    public override string ConnectionId
    {
        get => _connectionId ?? $"L{_id:X}";
        set => _connectionId = value;
    }

    public override IFeatureCollection Features => this;

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    public override IDuplexPipe Transport
    {
        get => _transport ?? this;
        set => _transport = value;
    }

    // Made when first asked for (Kestrel's metrics and the operator's views may), then kept.
    public override EndPoint? LocalEndPoint
    {
        get
        {
            if (_localEndPoint is null && Volatile.Read(ref _closed) == 0)
            {
                try
                {
                    _localEndPoint = _socket.LocalEndPoint;
                }
                catch (ObjectDisposedException)
                {
                    // Closed meanwhile: unknown from now on.
                }
            }

            return _localEndPoint;
        }

        set => _localEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _remoteEndPoint;
        set => throw new NotSupportedException();
    }

    PipeReader IDuplexPipe.Input => _reader;

    PipeWriter IDuplexPipe.Output => _writer;

    /// <summary>Closes the socket at once: a waiting read ends with <see cref="ConnectionAbortedException"/>.</summary>
    public override void Abort(ConnectionAbortedException abortReason) => Close(graceful: false);

    public override ValueTask DisposeAsync()
    {
        Close(graceful: true);
        _reader.Complete();
        _writer.Complete();
        return base.DisposeAsync();
    }

    // Graceful: what was sent goes out before the FIN. Either way the zero-byte receive ends, with an error.
    private void Close(bool graceful)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            if (graceful)
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to say.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }
}
