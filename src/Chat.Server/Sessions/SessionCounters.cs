namespace Chat.Server.Sessions;

/// <summary>
/// What one connection has moved. Each figure has one writer at a time (the read loop for "in" and
/// deliveries, the drain that owns the connection's writer for "out"), so plain increments
/// suffice; readers see a value at most one frame old.
/// </summary>
internal sealed class SessionCounters
{
    private long _messagesIn;
    private long _bytesIn;
    private long _framesOut;
    private long _bytesOut;
    private long _deliveries;
    private long _lastActivityTicks;

    public long MessagesIn => Volatile.Read(ref _messagesIn);

    public long BytesIn => Volatile.Read(ref _bytesIn);

    public long FramesOut => Volatile.Read(ref _framesOut);

    public long BytesOut => Volatile.Read(ref _bytesOut);

    /// <summary>Copies of this client's messages queued for other users (echoes not counted).</summary>
    public long Deliveries => Volatile.Read(ref _deliveries);

    /// <summary>When the client last sent a frame, as <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
    public long LastActivityTimestamp => Volatile.Read(ref _lastActivityTicks);

    public void Started(long timestamp) => Volatile.Write(ref _lastActivityTicks, timestamp);

    public void Received(long frameBytes, long timestamp)
    {
        Volatile.Write(ref _messagesIn, _messagesIn + 1);
        Volatile.Write(ref _bytesIn, _bytesIn + frameBytes);
        Volatile.Write(ref _lastActivityTicks, timestamp);
    }

    /// <summary>Called by the router on the sender's read loop, which is this figure's one writer.</summary>
    public void Delivered(long copies) => Volatile.Write(ref _deliveries, _deliveries + copies);

    public void Sent(long frames, long bytes)
    {
        Volatile.Write(ref _framesOut, _framesOut + frames);
        Volatile.Write(ref _bytesOut, _bytesOut + bytes);
    }
}
