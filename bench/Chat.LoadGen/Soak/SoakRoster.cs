namespace Chat.LoadGen.Soak;

/// <summary>
/// What all clients of one soak share: the clock, every sender's log, who is connected now (the pool
/// direct messages pick from), when each user was known to be gone, the count bounds, the totals and
/// the violations.
/// </summary>
internal sealed class SoakRoster
{
    private const int PrintedViolations = 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, SentLog> _logs = [];
    private readonly Dictionary<long, long> _goneTicks = [];
    private readonly List<long> _connected = [];
    private readonly Dictionary<long, int> _connectedIndex = [];

    public SoakClock Clock { get; } = new();

    public UserCountBounds Bounds { get; } = new();

    public SoakTotals Totals { get; } = new();

    public RunErrors Violations { get; } = new();

    /// <summary>Counts a violation; the first ones are printed as they happen, so a long run shows them at once.</summary>
    public void Violation(string message)
    {
        Violations.Add(message);
        if (Violations.Count <= PrintedViolations)
        {
            RunReport.Line($"violation: {message}");
        }
    }

    /// <summary>A client holds its handshake: its log becomes known and it can be sent to.</summary>
    public void Add(SentLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        lock (_lock)
        {
            _logs.Add(log.SenderId, log);
            _connectedIndex.Add(log.SenderId, _connected.Count);
            _connected.Add(log.SenderId);
        }
    }

    /// <summary>A client began to leave: nobody picks it for a direct message any more.</summary>
    public void Remove(long id)
    {
        lock (_lock)
        {
            if (!_connectedIndex.Remove(id, out var index))
            {
                return;
            }

            var last = _connected[^1];
            _connected[index] = last;
            _connected.RemoveAt(_connected.Count - 1);
            if (last != id)
            {
                _connectedIndex[last] = index;
            }
        }
    }

    /// <summary>The server has closed the client's connection, at this tick.</summary>
    public void Gone(long id)
    {
        lock (_lock)
        {
            _goneTicks[id] = Clock.Next();
        }
    }

    /// <summary>The tick at which <paramref name="id"/> was known to be gone, or null.</summary>
    public long? GoneTick(long id)
    {
        lock (_lock)
        {
            return _goneTicks.TryGetValue(id, out var tick) ? tick : null;
        }
    }

    public SentLog? LogOf(long id)
    {
        lock (_lock)
        {
            return _logs.GetValueOrDefault(id);
        }
    }

    /// <summary>Every sender so far.</summary>
    public List<SentLog> Logs()
    {
        lock (_lock)
        {
            return [.. _logs.Values];
        }
    }

    /// <summary>A connected user other than <paramref name="self"/>, or null when there is none.</summary>
    public long? PickOther(long self)
    {
        lock (_lock)
        {
            if (_connected.Count < 2)
            {
                return null;
            }

            var pick = _connected[Random.Shared.Next(_connected.Count - 1)];
            return pick == self ? _connected[^1] : pick;
        }
    }
}
