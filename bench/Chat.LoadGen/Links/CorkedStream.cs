namespace Chat.LoadGen.Links;

/// <summary>
/// The socket's stream under a <see cref="System.Net.WebSockets.ClientWebSocket"/>: while corked, writes
/// collect in a buffer, and uncorking sends them with one write. The WebSocket writes each message on
/// its own; a batch of echoes answered with one socket write costs the generator what the same batch
/// costs it over TCP, so the generator does not take the CPU the server is being measured on.
/// </summary>
internal sealed class CorkedStream : Stream
{
    private readonly Stream _inner;
    private byte[] _buffer = new byte[1024];
    private int _count;
    private bool _corked;

    public CorkedStream(Stream inner) => _inner = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Writes from now on are held until <see cref="UncorkAsync"/>.</summary>
    public void Cork() => _corked = true;

    /// <summary>Sends what was held, in one write, and writes through again.</summary>
    public ValueTask UncorkAsync(CancellationToken cancellationToken)
    {
        _corked = false;
        if (_count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var held = _buffer.AsMemory(0, _count);
        _count = 0;
        return _inner.WriteAsync(held, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_corked)
        {
            return _inner.WriteAsync(buffer, cancellationToken);
        }

        if (_count + buffer.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + buffer.Length));
        }

        buffer.Span.CopyTo(_buffer.AsSpan(_count));
        _count += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _corked ? Task.CompletedTask : _inner.FlushAsync(cancellationToken);

    public override void Flush()
    {
        if (!_corked)
        {
            _inner.Flush();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
