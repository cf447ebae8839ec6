using System.Collections.Concurrent;

namespace Chat.LoadGen;

/// <summary>Every error of a run is counted; the first few are kept word for word for the report.</summary>
internal sealed class RunErrors
{
    private const int KeptMessages = 5;

    private readonly ConcurrentQueue<string> _first = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IEnumerable<string> FirstMessages => _first;

    public void Add(string message)
    {
        if (Interlocked.Increment(ref _count) <= KeptMessages)
        {
            _first.Enqueue(message);
        }
    }
}
