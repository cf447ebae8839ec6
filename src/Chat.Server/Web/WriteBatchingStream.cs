using System.Buffers;

namespace Chat.Server.Web;

/// <summary>
/// The upgraded connection's stream under a WebSocket, which can hold the WebSocket's writes while
/// the send loop sends a batch and then write them to the connection at once. Without it every
/// WebSocket message is one socket write; with it, the echoes and deliveries of one batch share one.
/// Outside a batch (pongs, the close frame) it writes straight through.
/// </summary>
internal sealed class WriteBatchingStream : Stream
{
    // A batch never holds more than this; a bigger one is written out as it grows.
    private const int MaxBatchBytes = 64 * 1024;
    private const int SpareBytes = 4096;

    private readonly Stream _inner;
    private readonly Lock _gate = new();
    // One write to the connection at a time, so the frames of two writers never interleave.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private ArrayBufferWriter<byte>? _pending;
    private ArrayBufferWriter<byte>? _spare;
    private bool _batching;

    public WriteBatchingStream(Stream inner)
    {
        _inner = inner;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Holds writes from now until <see cref="EndBatchAsync"/>.</summary>
    public void BeginBatch()
    {
        lock (_gate)
        {
            _batching = true;
        }
    }

    /// <summary>Writes what the batch holds to the connection in one write, and flushes it.</summary>
    public Task EndBatchAsync()
    {
        lock (_gate)
        {
            _batching = false;
        }

        return FlushAsync(CancellationToken.None);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_batching && (_pending?.WrittenCount ?? 0) + buffer.Length <= MaxBatchBytes)
            {
                (_pending ??= _spare ?? new ArrayBufferWriter<byte>()).Write(buffer.Span);
                _spare = null;
                return;
            }
        }

        // What the batch holds goes first, so frames leave in the order they were written.
        await WritePendingAsync(cancellationToken);
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        // The WebSocket flushes after every message; inside a batch the batch's end does it once.
        lock (_gate)
        {
            if (_batching)
            {
                return;
            }
        }

        await WritePendingAsync(cancellationToken);
        await _inner.FlushAsync(cancellationToken);
    }

    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _writing.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task WritePendingAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            ArrayBufferWriter<byte>? pending;
            lock (_gate)
            {
                pending = _pending;
                _pending = null;
            }

            if (pending is null || pending.WrittenCount == 0)
            {
                return;
            }

            await _inner.WriteAsync(pending.WrittenMemory, cancellationToken);
            pending.ResetWrittenCount();
            // A small buffer is kept for the next batch; a big one goes, so an idle session holds little.
            if (pending.Capacity <= SpareBytes)
            {
                lock (_gate)
                {
                    _spare ??= pending;
                }
            }
        }
        finally
        {
            _writing.Release();
        }
    }
}
