namespace Chat.LoadGen.Soak;

/// <summary>The soak's running counts, shared by every client; each is updated with one interlocked add.</summary>
internal sealed class SoakTotals
{
    private long _messages;
    private long _deliveries;
    private long _notices;
    private long _joins;
    private long _leaves;
    private long _polls;
    private long _maxSendLagTicks;

    /// <summary>Messages sent (every one is echoed).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Copies of other users' messages received.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>Notices from the server (from = 0), such as an unknown recipient.</summary>
    public long Notices => Interlocked.Read(ref _notices);

    public long Joins => Interlocked.Read(ref _joins);

    public long Leaves => Interlocked.Read(ref _leaves);

    /// <summary>Admin socket commands whose answer was checked.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>How far behind its schedule a send started, at worst: the tool falling behind.</summary>
    public TimeSpan MaxSendLag => TimeSpan.FromSeconds(Interlocked.Read(ref _maxSendLagTicks) / (double)System.Diagnostics.Stopwatch.Frequency);

    public void Sent() => Interlocked.Increment(ref _messages);

    public void Delivered() => Interlocked.Increment(ref _deliveries);

    public void Noticed() => Interlocked.Increment(ref _notices);

    public void Joined() => Interlocked.Increment(ref _joins);

    public void Left() => Interlocked.Increment(ref _leaves);

    public void Polled() => Interlocked.Increment(ref _polls);

    public void SendLag(long ticks)
    {
        var seen = Interlocked.Read(ref _maxSendLagTicks);
        while (ticks > seen)
        {
            var before = Interlocked.CompareExchange(ref _maxSendLagTicks, ticks, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }
}
