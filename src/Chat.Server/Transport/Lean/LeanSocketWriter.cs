using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Chat.Server.Transport.Lean;

/// <summary>
/// The chat connection's output, written straight to the socket without a <see cref="Pipe"/>.
/// Frames are written into one pooled buffer, which a flush sends and gives back, so an idle
/// connection holds none. A flush sends at once what the kernel takes; only when the socket's send
/// buffer is full does it wait, with send arguments borrowed from a shared pool for that one send.
/// The flush completes once every byte is in the kernel, so a client that stops reading holds up
/// the session's drain, and its outbound queue's bound catches it as a slow consumer.
/// </summary>
internal sealed class LeanSocketWriter : PipeWriter, IValueTaskSource<FlushResult>
{
    private const int MinimumBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly LeanConnection _connection;
    private ManualResetValueTaskSourceCore<FlushResult> _pending;

    // Written and not yet flushed: _buffer[_sent.._written].
    private byte[]? _buffer;
    private int _written;
    private int _sent;
    private bool _flushPending;
    private volatile bool _completed;

    public LeanSocketWriter(Socket socket, LeanConnection connection, bool inlineCompletions)
    {
        _socket = socket;
        _connection = connection;
        _pending.RunContinuationsAsynchronously = !inlineCompletions;
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written - _sent;

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_buffer is null || _written + bytes > _buffer.Length)
        {
            throw new InvalidOperationException("advanced past the memory handed out");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        var free = MakeRoom(sizeHint);
        return _buffer.AsMemory(_written, free);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        var free = MakeRoom(sizeHint);
        return _buffer.AsSpan(_written, free);
    }

    public override void CancelPendingFlush()
    {
        // The session never cancels a flush; a flush that waits ends when the send does or the connection is aborted.
    }

    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        if (!_flushPending)
        {
            ReleaseBuffer();
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_flushPending)
        {
            throw new InvalidOperationException("a flush is already pending");
        }

        if (_completed)
        {
            ReleaseBuffer();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        while (_sent < _written)
        {
            int sent;
            SocketError error;
            try
            {
                sent = _socket.Send(_buffer.AsSpan(_sent, _written - _sent), SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                sent = 0;
                error = SocketError.OperationAborted;
            }

            if (error == SocketError.WouldBlock)
            {
                return SendRestAsync();
            }

            if (error != SocketError.Success)
            {
                return new ValueTask<FlushResult>(Fail());
            }

            _sent += sent;
        }

        ReleaseBuffer();
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
    }

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    /// <summary>The waiting send ended: everything is in the kernel, or the socket failed.</summary>
    internal void OnSendCompleted(LeanSendArgs args)
    {
        var error = args.SocketError;
        LeanSendArgs.Return(args);
        _flushPending = false;
        _pending.SetResult(error == SocketError.Success ? Sent() : Fail());
    }

    // The kernel's send buffer is full: the rest goes out with an asynchronous send, which completes once all of it is sent.
    private ValueTask<FlushResult> SendRestAsync()
    {
        _flushPending = true;
        _pending.Reset();
        var args = LeanSendArgs.Rent(this);
        args.SetBuffer(_buffer, _sent, _written - _sent);
        bool pending;
        try
        {
            pending = _socket.SendAsync(args);
        }
        catch (ObjectDisposedException)
        {
            LeanSendArgs.Return(args);
            _flushPending = false;
            return new ValueTask<FlushResult>(Fail());
        }

        if (!pending)
        {
            var error = args.SocketError;
            LeanSendArgs.Return(args);
            _flushPending = false;
            return new ValueTask<FlushResult>(error == SocketError.Success ? Sent() : Fail());
        }

        return new ValueTask<FlushResult>(this, _pending.Version);
    }

    private FlushResult Sent()
    {
        ReleaseBuffer();
        return new FlushResult(isCanceled: false, isCompleted: _completed);
    }

    // The peer is gone or the socket failed: nothing more can be written, and the reader hears of it from the socket.
    private FlushResult Fail()
    {
        _completed = true;
        ReleaseBuffer();
        _connection.Abort();
        return new FlushResult(isCanceled: false, isCompleted: true);
    }

    // Room for at least sizeHint bytes (at least one) after what is written; returns the free length.
    private int MakeRoom(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(needed, MinimumBufferSize));
            _written = _sent = 0;
        }
        else if (_buffer.Length - _written < needed)
        {
            var length = _written - _sent;
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(length + needed, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, _sent, bigger, 0, length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            _sent = 0;
            _written = length;
        }

        return _buffer.Length - _written;
    }

    // Exchanged: a completion and a Complete from another thread may both get here; one returns it.
    private void ReleaseBuffer()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            _written = _sent = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
