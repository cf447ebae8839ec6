namespace Chat.Server.Routing;

/// <summary>The last N closed connections, newest first; older ones fall off.</summary>
internal sealed class ClosedConnectionLog
{
    private readonly Queue<ClosedConnection> _entries = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;

    public ClosedConnectionLog(int capacity) => _capacity = capacity;

    public void Add(ClosedConnection entry)
    {
        if (_capacity == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.Count == _capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    /// <summary>Up to <paramref name="count"/> entries, newest first.</summary>
    public IReadOnlyList<ClosedConnection> Latest(int count)
    {
        lock (_gate)
        {
            return _entries.Reverse().Take(count).ToList();
        }
    }
}
