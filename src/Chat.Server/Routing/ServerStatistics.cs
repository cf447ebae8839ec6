using Chat.Protocol;
using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>
/// Server-wide totals: handshakes by outcome and disconnects by reason. Per-message figures live in
/// each session's counters and are folded in here when the session ends, so the hot path never
/// touches a shared counter.
/// </summary>
internal sealed class ServerStatistics
{
    private readonly long[] _refusals = new long[Enum.GetValues<Refusal>().Max(value => (int)value) + 1];
    private readonly long[] _disconnects = new long[Enum.GetValues<DisconnectReason>().Max(value => (int)value) + 1];
    private long _accepted;
    private long _closedMessagesIn;
    private long _closedBytesIn;
    private long _closedFramesOut;
    private long _closedBytesOut;

    public long HandshakesAccepted => Volatile.Read(ref _accepted);

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Refused(Refusal refusal) => Interlocked.Increment(ref _refusals[(int)refusal]);

    public long RefusedFor(Refusal refusal) => Volatile.Read(ref _refusals[(int)refusal]);

    public long DisconnectsFor(DisconnectReason reason) => Volatile.Read(ref _disconnects[(int)reason]);

    /// <summary>Folds a finished session's figures into the totals.</summary>
    public void Closed(DisconnectReason reason, SessionCounters counters)
    {
        Interlocked.Increment(ref _disconnects[(int)reason]);
        Interlocked.Add(ref _closedMessagesIn, counters.MessagesIn);
        Interlocked.Add(ref _closedBytesIn, counters.BytesIn);
        Interlocked.Add(ref _closedFramesOut, counters.FramesOut);
        Interlocked.Add(ref _closedBytesOut, counters.BytesOut);
    }

    /// <summary>Totals since start: closed sessions plus the live ones passed in.</summary>
    public TrafficTotals Totals(IEnumerable<ChatSession> live)
    {
        var totals = new TrafficTotals(
            Volatile.Read(ref _closedMessagesIn),
            Volatile.Read(ref _closedBytesIn),
            Volatile.Read(ref _closedFramesOut),
            Volatile.Read(ref _closedBytesOut));
        foreach (var session in live)
        {
            var counters = session.Counters;
            totals = new TrafficTotals(
                totals.MessagesIn + counters.MessagesIn,
                totals.BytesIn + counters.BytesIn,
                totals.FramesOut + counters.FramesOut,
                totals.BytesOut + counters.BytesOut);
        }

        return totals;
    }
}

/// <summary>Messages and bytes moved, in and out.</summary>
internal readonly record struct TrafficTotals(long MessagesIn, long BytesIn, long FramesOut, long BytesOut);
