using System.Threading.Channels;

namespace Chat.Server.Sessions;

/// <summary>
/// The frames waiting to be written to one connection, bounded in bytes so that a client that
/// stops reading is disconnected instead of holding up its senders (PROTOCOL.md, "Conversation" 5).
/// Many routers write, the session's one write loop reads.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly long _maxBytes;
    private long _queuedBytes;

    public OutboundQueue(long maxBytes) => _maxBytes = maxBytes;

    /// <summary>Bytes queued or handed to the transport but not yet flushed to the socket.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    public ChannelReader<byte[]> Reader => _frames.Reader;

    public EnqueueResult TryEnqueue(byte[] frame)
    {
        var total = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (total > _maxBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            return EnqueueResult.Overflow;
        }

        if (!_frames.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            return EnqueueResult.Closed;
        }

        return EnqueueResult.Queued;
    }

    /// <summary>Called by the write loop once bytes have been flushed to the socket.</summary>
    public void Flushed(long bytes) => Interlocked.Add(ref _queuedBytes, -bytes);

    /// <summary>No more frames; the write loop drains what is queued, then ends.</summary>
    public void Complete() => _frames.Writer.TryComplete();
}

internal enum EnqueueResult
{
    Queued,
    Overflow,
    Closed,
}
