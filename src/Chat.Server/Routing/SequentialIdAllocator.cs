using Chat.Cluster.Redis;

namespace Chat.Server.Routing;

/// <summary>Ids for a server that runs alone: 1, 2, 3… for its lifetime, never failing.</summary>
internal sealed class SequentialIdAllocator : IIdAllocator
{
    private long _lastId;

    public bool TryAllocate(out long id)
    {
        id = Interlocked.Increment(ref _lastId);
        return true;
    }
}
