using System.Buffers;

namespace Chat.Server.Sessions;

/// <summary>
/// The bytes waiting to be written to one connection, bounded so that a client that stops reading
/// is disconnected instead of holding up its senders (PROTOCOL.md, "Conversation" 5). Many routers
/// copy frames in; one drain at a time takes them out, a bounded chunk per flush, so that what the
/// server holds for a client that stops reading is this queue's bound plus the transport's own
/// output buffer, never the bound twice. Frames live in buffers rented from the shared pool and
/// given back once written, so the steady state allocates nothing, and an idle connection holds no
/// buffer at all.
/// </summary>
internal sealed class OutboundQueue
{
    /// <summary>
    /// The most one take hands to the transport before its flush: one buffer (a larger frame has
    /// a buffer of its own). The flush waits whenever the transport's output buffer (Kestrel's
    /// <c>MaxWriteBufferSize</c>, 64 KiB) is full, so the transport never holds more than that
    /// plus one take.
    /// </summary>
    public const int MaxBytesPerTake = BufferSize;

    // Frames are packed into pooled buffers of this size (a larger frame gets a buffer of its own size).
    private const int BufferSize = 16 * 1024;

    private readonly long _maxBytes;
    private readonly Lock _gate = new();

    // Oldest first; the drain takes from _head, routers fill the last one.
    private List<QueuedBuffer>? _buffers;
    private int _head;
    private long _queuedBytes;
    private int _frames;
    private volatile bool _completed;

    public OutboundQueue(long maxBytes) => _maxBytes = maxBytes;

    /// <summary>
    /// Bytes queued and not yet handed to the transport. What the transport holds beyond that is
    /// bounded by its output buffer, whose back-pressure keeps the drain waiting, so this bound
    /// still catches a client that stops reading.
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

            var buffers = _buffers ??= [];
            if (buffers.Count == _head || buffers[^1].Free < frame.Length)
            {
                buffers.Add(new QueuedBuffer(ArrayPool<byte>.Shared.Rent(Math.Max(BufferSize, frame.Length)), 0, 0));
            }

            var last = buffers[^1];
            frame.CopyTo(last.Buffer.AsSpan(last.Length));
            buffers[^1] = last with { Length = last.Length + frame.Length, Frames = last.Frames + 1 };
            Interlocked.Add(ref _queuedBytes, frame.Length);
            Volatile.Write(ref _frames, _frames + 1);
            return EnqueueResult.Queued;
        }
    }

    /// <summary>
    /// Writes the oldest queued buffers, up to <see cref="MaxBytesPerTake"/>, into
    /// <paramref name="output"/> and gives them back. Called by the one drain that owns the writer.
    /// </summary>
    /// <returns>The frames and bytes moved.</returns>
    public (int Frames, long Bytes) TakeInto(IBufferWriter<byte> output)
    {
        var frames = 0;
        long bytes = 0;
        while (bytes < MaxBytesPerTake && TryTakeOldest(out var taken))
        {
            // Outside the lock: routers keep queuing while this one is copied out.
            output.Write(taken.Buffer.AsSpan(0, taken.Length));
            ArrayPool<byte>.Shared.Return(taken.Buffer);
            Interlocked.Add(ref _queuedBytes, -taken.Length);
            frames += taken.Frames;
            bytes += taken.Length;
        }

        return (frames, bytes);
    }

    /// <summary>No more frames are taken; the drain writes what is queued, then stops.</summary>
    public void Complete() => _completed = true;

    // Takes the oldest buffer out of the queue; once taken, no router writes into it any more.
    private bool TryTakeOldest(out QueuedBuffer taken)
    {
        lock (_gate)
        {
            var buffers = _buffers;
            if (buffers is null || buffers.Count == _head)
            {
                taken = default;
                return false;
            }

            taken = buffers[_head];
            buffers[_head++] = default;
            if (_head == buffers.Count)
            {
                buffers.Clear();
                _head = 0;
            }
            else if (_head * 2 > buffers.Count)
            {
                // Never emptied under steady load: drop the taken slots so the list stays as short as the queue.
                buffers.RemoveRange(0, _head);
                _head = 0;
            }

            Volatile.Write(ref _frames, _frames - taken.Frames);
            return true;
        }
    }

    private readonly record struct QueuedBuffer(byte[] Buffer, int Length, int Frames)
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
