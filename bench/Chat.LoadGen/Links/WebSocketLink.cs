using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Chat.Protocol;
using ProtocolViolationException = Chat.Protocol.ProtocolViolationException;

namespace Chat.LoadGen.Links;

/// <summary>
/// The server's WebSocket door (PROTOCOL.md, "WebSocket"): <c>ws://host:port/ws</c>, subprotocol
/// <c>chat.v1</c>, one protobuf message per binary WebSocket message, through .NET's
/// <see cref="ClientWebSocket"/>. Frames sent are split into one message each; messages received
/// are given back with their length prefix, so the modes read them as they read a socket's bytes.
/// A receive hands back every message that is already in, not one per call, and a batch of frames
/// leaves in one socket write (<see cref="CorkedStream"/>, under the WebSocket through the handler's
/// connect callback), so the generator spends per message about what it spends over TCP.
/// </summary>
internal sealed class WebSocketLink : ClientLink
{
    public const string Subprotocol = "chat.v1";

    // Grows for a message that does not fit (the server's frames are at most 64 KiB and a few bytes).
    private const int InitialMessageBuffer = 1024;
    private const int MaxMessage = FrameLimits.DefaultMaxBodyLength + 64;

    private readonly ClientWebSocket _socket = new();
    private readonly SocketsHttpHandler _handler;
    private CorkedStream? _stream;
    private byte[] _message = new byte[InitialMessageBuffer];
    private int _messageFilled;
    private bool _messageComplete;
    private bool _closed;
    private ValueTask<ValueWebSocketReceiveResult> _pending;
    private bool _hasPending;

    public WebSocketLink()
    {
        _socket.Options.AddSubProtocol(Subprotocol);
        // An idle connection stays idle: no keep-alive pings from this side.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        // A handler of its own, so that the connection it opens is this link's and no other's.
        _handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = Handshakes.CreateSocket();
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    _stream = new CorkedStream(new NetworkStream(socket, ownsSocket: true));
                    return _stream;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    public static Uri UriOf(IPEndPoint endPoint) => new($"ws://{endPoint}/ws");

    public override async ValueTask<long> ConnectAsync(IPEndPoint endPoint, byte[] handshakeBuffer, CancellationToken cancellationToken)
    {
        try
        {
            using var invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
            await _socket.ConnectAsync(UriOf(endPoint), invoker, cancellationToken);
        }
        catch (WebSocketException exception)
        {
            throw new HandshakeException($"WebSocket upgrade failed: {exception.Message}", exception);
        }

        if (_socket.SubProtocol != Subprotocol)
        {
            throw new HandshakeException($"the server chose subprotocol '{_socket.SubProtocol}', not {Subprotocol}");
        }

        try
        {
            return await Handshakes.ReadAsync(ReceiveAsync, handshakeBuffer, cancellationToken);
        }
        catch (HandshakeException) when (_socket.CloseStatus is { } status)
        {
            throw new HandshakeException($"the server closed the WebSocket ({(int)status} {_socket.CloseStatusDescription}) before its handshake");
        }
    }

    public override ValueTask<int> SendAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        // Every message into the corked stream (each completes at once), then one write for them all.
        var stream = _stream ?? throw new InvalidOperationException("not connected");
        stream.Cork();
        var rest = new ReadOnlySequence<byte>(frames);
        while (!rest.IsEmpty)
        {
            if (!FrameReader.TryReadFrame(ref rest, MaxMessage, out var body))
            {
                throw new ArgumentException("not whole frames", nameof(frames));
            }

            var sending = _socket.SendAsync(body.First, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            if (!sending.IsCompletedSuccessfully)
            {
                // A corked write never waits, so only a send that failed (or waits for another) gets here.
                return FinishSendAsync(sending, stream, frames[(int)(frames.Length - rest.Length)..], frames.Length, cancellationToken);
            }
        }

        var written = stream.UncorkAsync(cancellationToken);
        return written.IsCompletedSuccessfully ? ValueTask.FromResult(frames.Length) : AwaitWriteAsync(written, frames.Length);
    }

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var written = TakeMessages(buffer.Span, out var needMore);
        if (!needMore && written == 0)
        {
            throw new InvalidOperationException("the receive buffer has no room for the next message");
        }

        return !needMore || _closed ? ValueTask.FromResult(written) : ReceiveMoreAsync(buffer, written, cancellationToken);
    }

    public override void WatchIdle()
    {
        if (!_hasPending && !_closed)
        {
#pragma warning disable CA2012 // One receive stays pending across calls, and is consumed exactly once.
            _pending = _socket.ReceiveAsync(_message.AsMemory(_messageFilled), CancellationToken.None);
#pragma warning restore CA2012
            _hasPending = true;
        }
    }

    public override bool IdleEnded => _closed || _messageComplete || (_hasPending && _pending.IsCompleted) || _socket.State != WebSocketState.Open;

    public override async ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
    }

    public override void Dispose()
    {
        _socket.Dispose();
        _handler.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> AwaitWriteAsync(ValueTask writing, int length)
    {
        await writing;
        return length;
    }

    private async ValueTask<int> FinishSendAsync(ValueTask sending, CorkedStream stream, ReadOnlyMemory<byte> rest, int length, CancellationToken cancellationToken)
    {
        await sending;
        var frames = new ReadOnlySequence<byte>(rest);
        while (FrameReader.TryReadFrame(ref frames, MaxMessage, out var body))
        {
            await _socket.SendAsync(body.First, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }

        await stream.UncorkAsync(cancellationToken);
        return length;
    }

    // Waits for the next message only while nothing has been handed back yet; once something has,
    // returns it as soon as the next receive would have to wait (that receive stays pending).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveMoreAsync(Memory<byte> buffer, int written, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_hasPending)
            {
#pragma warning disable CA2012 // As above: kept pending when it would wait, awaited once on a later call.
                _pending = _socket.ReceiveAsync(_message.AsMemory(_messageFilled), cancellationToken);
#pragma warning restore CA2012
                _hasPending = true;
            }

            if (written > 0 && !_pending.IsCompleted)
            {
                return written;
            }

            ValueWebSocketReceiveResult result;
            try
            {
                result = await _pending;
            }
            finally
            {
                _hasPending = false;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                _closed = true;
                return written;
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new ProtocolViolationException($"a {result.MessageType} message on {Subprotocol}");
            }

            _messageFilled += result.Count;
            if (!result.EndOfMessage)
            {
                Grow();
                continue;
            }

            _messageComplete = true;
            written += TakeMessages(buffer.Span[written..], out var needMore);
            if (!needMore)
            {
                return written > 0 ? written : throw new InvalidOperationException("the receive buffer has no room for the next message");
            }
        }
    }

    // Copies the complete message held, if any and if it fits, with its prefix; needMore is false
    // when one is held that does not fit (the caller must make room first).
    private int TakeMessages(Span<byte> destination, out bool needMore)
    {
        needMore = true;
        if (!_messageComplete)
        {
            return 0;
        }

        var length = (uint)_messageFilled;
        Span<byte> prefix = stackalloc byte[FrameLimits.MaxPrefixLength];
        var prefixLength = FrameWriter.WritePrefix(prefix, length);
        if (prefixLength + _messageFilled > destination.Length)
        {
            needMore = false;
            return 0;
        }

        prefix[..prefixLength].CopyTo(destination);
        _message.AsSpan(0, _messageFilled).CopyTo(destination[prefixLength..]);
        _messageFilled = 0;
        _messageComplete = false;
        return prefixLength + (int)length;
    }

    private void Grow()
    {
        if (_messageFilled < _message.Length)
        {
            return;
        }

        if (_message.Length >= MaxMessage)
        {
            throw new ProtocolViolationException($"a WebSocket message over {MaxMessage} bytes");
        }

        Array.Resize(ref _message, Math.Min(MaxMessage, _message.Length * 2));
    }
}
