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
    private long _closedDeliveries;

    public long HandshakesAccepted => Volatile.Read(ref _accepted);

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Refused(Refusal refusal) => Interlocked.Increment(ref _refusals[(int)refusal]);

    public long RefusedFor(Refusal refusal) => Volatile.Read(ref _refusals[(int)refusal]);

    /// <summary>Handshakes refused, whatever the reason.</summary>
    public long HandshakesRefused
    {
        get
        {
            long refused = 0;
            for (var refusal = 0; refusal < _refusals.Length; refusal++)
            {
                refused += Volatile.Read(ref _refusals[refusal]);
            }

            return refused;
        }
    }

    public long DisconnectsFor(DisconnectReason reason) => Volatile.Read(ref _disconnects[(int)reason]);

    /// <summary>Folds a finished session's figures into the totals.</summary>
    public void Closed(DisconnectReason reason, SessionCounters counters)
    {
        Interlocked.Increment(ref _disconnects[(int)reason]);
        Interlocked.Add(ref _closedMessagesIn, counters.MessagesIn);
        Interlocked.Add(ref _closedBytesIn, counters.BytesIn);
        Interlocked.Add(ref _closedFramesOut, counters.FramesOut);
        Interlocked.Add(ref _closedBytesOut, counters.BytesOut);
        Interlocked.Add(ref _closedDeliveries, counters.Deliveries);
    }

    /// <summary>Totals since start: closed sessions plus the live ones passed in.</summary>
    public TrafficTotals Totals(IEnumerable<ChatSession> live)
    {
        var messagesIn = Volatile.Read(ref _closedMessagesIn);
        var bytesIn = Volatile.Read(ref _closedBytesIn);
        var framesOut = Volatile.Read(ref _closedFramesOut);
        var bytesOut = Volatile.Read(ref _closedBytesOut);
        var deliveries = Volatile.Read(ref _closedDeliveries);
        foreach (var session in live)
        {
            var counters = session.Counters;
            messagesIn += counters.MessagesIn;
            bytesIn += counters.BytesIn;
            framesOut += counters.FramesOut;
            bytesOut += counters.BytesOut;
            deliveries += counters.Deliveries;
        }

        return new TrafficTotals(messagesIn, bytesIn, framesOut, bytesOut, deliveries);
    }
}

/// <summary>Messages and bytes moved, in and out, and copies delivered to other users.</summary>
internal readonly record struct TrafficTotals(long MessagesIn, long BytesIn, long FramesOut, long BytesOut, long Deliveries);
