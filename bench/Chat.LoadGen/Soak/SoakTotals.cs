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
    private long _maxLeaveTicks;

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

    /// <summary>The longest leave: from its start to the server's close, through the last echo.</summary>
    public TimeSpan MaxLeave => TimeSpan.FromSeconds(Interlocked.Read(ref _maxLeaveTicks) / (double)System.Diagnostics.Stopwatch.Frequency);

    public void Sent() => Interlocked.Increment(ref _messages);

    public void Delivered() => Interlocked.Increment(ref _deliveries);

    public void Noticed() => Interlocked.Increment(ref _notices);

    public void Joined() => Interlocked.Increment(ref _joins);

    public void Left() => Interlocked.Increment(ref _leaves);

    public void Polled() => Interlocked.Increment(ref _polls);

    public void SendLag(long ticks) => RaiseTo(ref _maxSendLagTicks, ticks);

    public void LeaveTook(long ticks) => RaiseTo(ref _maxLeaveTicks, ticks);

    private static void RaiseTo(ref long maximum, long ticks)
    {
        var seen = Interlocked.Read(ref maximum);
        while (ticks > seen)
        {
            var before = Interlocked.CompareExchange(ref maximum, ticks, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }
}
