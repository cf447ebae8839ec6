using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;

namespace Chat.Server.Transport.Lean;

/// <summary>
/// The chat connection's input, read straight from the socket without a <see cref="Pipe"/>. While
/// nothing has arrived it holds no buffer: it waits with a zero-byte receive, and rents a buffer
/// from the shared pool only when bytes are there to be read; the buffer goes back once the
/// reader has consumed all of it. A frame longer than the buffer grows it (bounded by the frame
/// limit, which the session's frame reader enforces).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A PipeReader ends with Complete, which disposes the receive arguments once no receive uses them.")]
internal sealed class LeanSocketReader : PipeReader, IValueTaskSource<ReadResult>
{
    private const int MinimumBufferSize = 4096;

    private readonly Socket _socket;
    private readonly LeanReceiveArgs _readiness;
    private ManualResetValueTaskSourceCore<ReadResult> _pending;

    // The bytes received and not consumed are _buffer[_start.._end]; the reader has looked at them up to _examined.
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _examined;

    // Bytes are probably waiting in the socket: the zero-byte receive said so, or the last receive filled the buffer.
    private bool _mayHaveData;
    private bool _readPending;
    private bool _waitingForData;
    private bool _cancelNextRead;
    private bool _ended;
    private bool _completed;
    private Exception? _error;

    public LeanSocketReader(Socket socket, bool inlineCompletions)
    {
        _socket = socket;
        _readiness = new LeanReceiveArgs(this);
        _pending.RunContinuationsAsynchronously = !inlineCompletions;
    }

    private ReadOnlySequence<byte> Buffered =>
        _buffer is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        // Cancellation by token is not used by the session (it cancels with CancelPendingRead).
        cancellationToken.ThrowIfCancellationRequested();
        lock (_readiness)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (_readPending)
            {
                throw new InvalidOperationException("a read is already pending");
            }

            if (TryReadNow(out var result, out var error))
            {
                return error is null ? new ValueTask<ReadResult>(result) : ValueTask.FromException<ReadResult>(error);
            }

            _readPending = true;
            _pending.Reset();
            return new ValueTask<ReadResult>(this, _pending.Version);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_readiness)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (TryTakeResult(out result, out var error))
            {
                return error is null ? true : throw error;
            }

            result = default;
            return false;
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_readiness)
        {
            if (_buffer is null || !ReferenceEquals(consumed.GetObject(), _buffer))
            {
                return;
            }

            _start = consumed.GetInteger();
            _examined = ReferenceEquals(examined.GetObject(), _buffer) ? Math.Max(_start, examined.GetInteger()) : _start;
            if (_start == _end)
            {
                ReleaseBuffer();
            }
        }
    }

    public override void CancelPendingRead()
    {
        ReadResult result;
        lock (_readiness)
        {
            if (!_readPending)
            {
                _cancelNextRead = true;
                return;
            }

            _readPending = false;
            result = new ReadResult(Buffered, isCanceled: true, isCompleted: false);
        }

        _pending.SetResult(result);
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_readiness)
        {
            _completed = true;
            ReleaseBuffer();
            if (!_waitingForData)
            {
                _readiness.Dispose();
            }
        }
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    /// <summary>The zero-byte receive completed: bytes (or the end) are there, or the socket failed.</summary>
    internal void OnReadinessCompleted(SocketError error)
    {
        ReadResult result;
        Exception? failure;
        lock (_readiness)
        {
            _waitingForData = false;
            _mayHaveData = true;
            if (error != SocketError.Success)
            {
                _error ??= ToException(error);
            }

            if (_completed)
            {
                ReleaseBuffer();
                _readiness.Dispose();
                return;
            }

            // A read cancelled meanwhile leaves the bytes in the socket for the next one.
            if (!_readPending || !TryReadNow(out result, out failure))
            {
                return;
            }

            _readPending = false;
        }

        if (failure is null)
        {
            _pending.SetResult(result);
        }
        else
        {
            _pending.SetException(failure);
        }
    }

    // Under the lock: a result from what is buffered or from the socket at once, else false with a
    // zero-byte receive outstanding.
    private bool TryReadNow(out ReadResult result, out Exception? error)
    {
        while (true)
        {
            if (TryTakeResult(out result, out error))
            {
                return true;
            }

            if (_waitingForData)
            {
                return false;
            }

            if (_mayHaveData && TryReceive())
            {
                continue;
            }

            if (TryWaitForData())
            {
                return false;
            }

            // The wait ended at once: bytes (or the end) are there now.
            _mayHaveData = true;
        }
    }

    private bool TryTakeResult(out ReadResult result, out Exception? error)
    {
        error = null;
        if (_cancelNextRead)
        {
            _cancelNextRead = false;
            result = new ReadResult(Buffered, isCanceled: true, isCompleted: false);
            return true;
        }

        if (_error is not null)
        {
            error = _error;
            result = default;
            return true;
        }

        if (_buffer is not null && _examined < _end)
        {
            result = new ReadResult(Buffered, isCanceled: false, isCompleted: false);
            return true;
        }

        result = new ReadResult(Buffered, isCanceled: false, isCompleted: true);
        return _ended;
    }

    // Reads what the socket holds without waiting; false when it holds nothing yet.
    private bool TryReceive()
    {
        var free = MakeRoom();
        int received;
        SocketError error;
        try
        {
            received = _socket.Receive(_buffer.AsSpan(_end, free), SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            received = 0;
            error = SocketError.OperationAborted;
        }

        _mayHaveData = false;
        if (error == SocketError.WouldBlock)
        {
            if (_start == _end)
            {
                ReleaseBuffer();
            }

            return false;
        }

        if (error != SocketError.Success)
        {
            _error ??= ToException(error);
        }
        else if (received == 0)
        {
            _ended = true;
        }
        else
        {
            _end += received;
            _mayHaveData = received == free;
        }

        if (_start == _end)
        {
            ReleaseBuffer();
        }

        return true;
    }

    // Starts a zero-byte receive: true while it waits, false when it completed at once (its outcome is recorded).
    private bool TryWaitForData()
    {
        _waitingForData = true;
        bool pending;
        try
        {
            pending = _socket.ReceiveAsync(_readiness);
        }
        catch (ObjectDisposedException)
        {
            _waitingForData = false;
            _error ??= new ConnectionAbortedException();
            return false;
        }

        if (pending)
        {
            return true;
        }

        _waitingForData = false;
        if (_readiness.SocketError != SocketError.Success)
        {
            _error ??= ToException(_readiness.SocketError);
        }

        return false;
    }

    // A buffer with free space after _end, rented, compacted or grown as needed; returns the free length.
    private int MakeRoom()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(MinimumBufferSize);
            _start = _end = _examined = 0;
        }
        else if (_end == _buffer.Length)
        {
            var length = _end - _start;
            var target = _start > 0 ? _buffer : ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, _start, target, 0, length);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _examined -= _start;
            _start = 0;
            _end = length;
        }

        return _buffer.Length - _end;
    }

    private void ReleaseBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _start = _end = _examined = 0;
        }
    }

    private static Exception ToException(SocketError error) => error switch
    {
        SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown => new ConnectionAbortedException(),
        SocketError.ConnectionReset => new ConnectionResetException(new SocketException((int)error).Message),
        _ => new IOException(new SocketException((int)error).Message),
    };
}
