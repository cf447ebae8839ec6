namespace Chat.LoadGen.Soak;

/// <summary>
/// Everything one soak client sent, by sequence number, and the check of its echoes: exactly one
/// each, in order (PROTOCOL.md, "Conversation" 3). Receivers read it to decide which of its messages
/// they must have had. One lock guards it, and a tick is taken inside the lock with the write that
/// stores it, so a reader that holds the lock after tick T sees every entry stamped before T.
/// </summary>
internal sealed class SentLog
{
    /// <summary><c>to</c> of a broadcast (PROTOCOL.md, "Conversation" 3).</summary>
    public const long Everyone = -1;

    private readonly Lock _lock = new();
    private readonly List<SentEntry> _entries = [];
    private readonly SoakClock _clock;
    private int _nextEcho;

    public SentLog(long senderId, SoakClock clock)
    {
        SenderId = senderId;
        _clock = clock;
    }

    public long SenderId { get; }

    /// <summary>Messages sent whose echo has not arrived yet.</summary>
    public int Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count - _nextEcho;
            }
        }
    }

    /// <summary>Records a message about to be written; returns its sequence number.</summary>
    public int Record(long target)
    {
        lock (_lock)
        {
            _entries.Add(new SentEntry(target, _clock.Next(), 0));
            return _entries.Count - 1;
        }
    }

    /// <summary>Checks one echo: the next sequence number, with the <c>to</c> sent. Returns null when it is, else what is wrong.</summary>
    public string? OnEcho(long sequence, long to)
    {
        lock (_lock)
        {
            if (sequence >= _entries.Count)
            {
                return $"user {SenderId}: echo of message {sequence}, which it never sent";
            }

            if (sequence != _nextEcho)
            {
                return sequence > _nextEcho ? $"user {SenderId}: echo {_nextEcho} lost, got echo {sequence}"
                    : $"user {SenderId}: echo {sequence} duplicated or reordered, expected echo {_nextEcho}";
            }

            var entry = _entries[_nextEcho];
            if (entry.Target != to)
            {
                return $"user {SenderId}: echo {sequence} has to = {to}, sent {entry.Target}";
            }

            _entries[_nextEcho] = entry with { EchoTick = _clock.Next() };
            _nextEcho++;
            return null;
        }
    }

    /// <summary>The <c>to</c> that message <paramref name="sequence"/> was sent with, or null when it was never sent.</summary>
    public long? TargetOf(long sequence)
    {
        lock (_lock)
        {
            return sequence >= 0 && sequence < _entries.Count ? _entries[(int)sequence].Target : null;
        }
    }

    /// <summary>
    /// The first message in [<paramref name="from"/>, <paramref name="until"/>) (until = null: all sent so far)
    /// that <paramref name="receiver"/> was owed: addressed to it or to everyone, sent after tick
    /// <paramref name="joinedTick"/> (its handshake) and, when <paramref name="leftTick"/> is given, echoed
    /// before that tick (its leave began). Returns -1 when there is none.
    /// </summary>
    public long FirstOwed(long receiver, long joinedTick, long? leftTick, long from, long? until)
    {
        lock (_lock)
        {
            var end = (int)Math.Min(until ?? _entries.Count, _entries.Count);
            // Sent ticks rise with the sequence number, so the owed window starts at a binary-searched index.
            var index = (int)Math.Max(from, FirstSentAfter(joinedTick));
            for (; index < end; index++)
            {
                var entry = _entries[index];
                if (leftTick is { } left && entry.SentTick >= left)
                {
                    break;
                }

                if ((entry.Target == receiver || entry.Target == Everyone)
                    && (leftTick is not { } l || (entry.EchoTick != 0 && entry.EchoTick < l)))
                {
                    return index;
                }
            }

            return -1;
        }
    }

    // The first index whose sent tick is after tick; the caller holds the lock.
    private int FirstSentAfter(long tick)
    {
        var low = 0;
        var high = _entries.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_entries[middle].SentTick > tick)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
