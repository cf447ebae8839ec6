using System.Collections.Concurrent;

namespace Chat.Server.Sessions;

/// <summary>
/// The frames waiting to be written to one connection, bounded in bytes so that a client that
/// stops reading is disconnected instead of holding up its senders (PROTOCOL.md, "Conversation" 5).
/// Many routers enqueue; one drain at a time dequeues. The queue itself is created on the first
/// frame, so an idle connection holds none.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly long _maxBytes;
    private ConcurrentQueue<byte[]>? _frames;
    private long _queuedBytes;
    private volatile bool _completed;

    public OutboundQueue(long maxBytes) => _maxBytes = maxBytes;

    /// <summary>Bytes queued or handed to the transport but not yet flushed to the socket.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    public bool IsEmpty => _frames?.IsEmpty ?? true;

    /// <summary>True once no more frames are taken; what is queued may still be drained.</summary>
    public bool IsCompleted => _completed;

    public EnqueueResult TryEnqueue(byte[] frame)
    {
        if (_completed)
        {
            return EnqueueResult.Closed;
        }

        var total = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (total > _maxBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            return EnqueueResult.Overflow;
        }

        var frames = _frames ?? Interlocked.CompareExchange(ref _frames, new ConcurrentQueue<byte[]>(), null) ?? _frames;
        frames.Enqueue(frame);
        return EnqueueResult.Queued;
    }

    public bool TryDequeue(out byte[] frame)
    {
        if (_frames is { } frames && frames.TryDequeue(out frame!))
        {
            return true;
        }

        frame = [];
        return false;
    }

    /// <summary>Called by the drain once bytes have been flushed to the socket.</summary>
    public void Flushed(long bytes) => Interlocked.Add(ref _queuedBytes, -bytes);

    /// <summary>No more frames are taken; the drain writes what is queued, then stops.</summary>
    public void Complete() => _completed = true;
}

internal enum EnqueueResult
{
    Queued,
    Overflow,
    Closed,
}
