using System.Buffers;

namespace Chat.Server.Sessions;

/// <summary>
/// The bytes waiting to be written to one connection, bounded so that a client that stops reading
/// is disconnected instead of holding up its senders (PROTOCOL.md, "Conversation" 5). Many routers
/// copy frames in; one drain at a time takes everything out. Frames live in buffers rented from the
/// shared pool and given back once written, so the steady state allocates nothing, and an idle
/// connection holds no buffer at all.
/// </summary>
internal sealed class OutboundQueue
{
    // Frames are packed into pooled buffers of this size (a larger frame gets a buffer of its own size).
    private const int BufferSize = 16 * 1024;

    private readonly long _maxBytes;
    private readonly Lock _gate = new();
    private List<QueuedBuffer>? _filling;
    private List<QueuedBuffer>? _spare;
    private long _queuedBytes;
    private int _frames;
    private volatile bool _completed;

    public OutboundQueue(long maxBytes) => _maxBytes = maxBytes;

    /// <summary>
    /// Bytes queued and not yet handed to the transport. What the transport holds beyond that is
    /// bounded by Kestrel's own output buffer, whose back-pressure keeps the drain waiting, so
    /// this bound still catches a client that stops reading.
    /// </summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    public bool IsEmpty => Volatile.Read(ref _frames) == 0;

    /// <summary>True once no more frames are taken; what is queued may still be drained.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Copies <paramref name="frame"/> in, unless the queue is closed or the frame would pass the bound.</summary>
    public EnqueueResult TryEnqueue(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return EnqueueResult.Closed;
            }

            if (Volatile.Read(ref _queuedBytes) + frame.Length > _maxBytes)
            {
                return EnqueueResult.Overflow;
            }

            var buffers = _filling ??= [];
            if (buffers.Count == 0 || buffers[^1].Free < frame.Length)
            {
                buffers.Add(new QueuedBuffer(ArrayPool<byte>.Shared.Rent(Math.Max(BufferSize, frame.Length)), 0));
            }

            var last = buffers[^1];
            frame.CopyTo(last.Buffer.AsSpan(last.Length));
            buffers[^1] = last with { Length = last.Length + frame.Length };
            Interlocked.Add(ref _queuedBytes, frame.Length);
            Volatile.Write(ref _frames, _frames + 1);
            return EnqueueResult.Queued;
        }
    }

    /// <summary>
    /// Writes everything queued into <paramref name="output"/> and gives the buffers back. Called by
    /// the one drain that owns the writer.
    /// </summary>
    /// <returns>The frames and bytes moved.</returns>
    public (int Frames, long Bytes) TakeInto(IBufferWriter<byte> output)
    {
        List<QueuedBuffer>? taken;
        int frames;
        lock (_gate)
        {
            taken = _filling;
            frames = _frames;
            if (taken is null || frames == 0)
            {
                return (0, 0);
            }

            _filling = _spare;
            _spare = null;
            Volatile.Write(ref _frames, 0);
        }

        long bytes = 0;
        foreach (var queued in taken)
        {
            output.Write(queued.Buffer.AsSpan(0, queued.Length));
            bytes += queued.Length;
            ArrayPool<byte>.Shared.Return(queued.Buffer);
        }

        taken.Clear();
        Interlocked.Add(ref _queuedBytes, -bytes);
        lock (_gate)
        {
            _spare = taken;
        }

        return (frames, bytes);
    }

    /// <summary>No more frames are taken; the drain writes what is queued, then stops.</summary>
    public void Complete() => _completed = true;

    private readonly record struct QueuedBuffer(byte[] Buffer, int Length)
    {
        public int Free => Buffer.Length - Length;
    }
}

internal enum EnqueueResult
{
    Queued,
    Overflow,
    Closed,
}
