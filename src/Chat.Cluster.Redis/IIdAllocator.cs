namespace Chat.Cluster.Redis;

/// <summary>Hands out user ids; a handshake asks it once and never waits on it.</summary>
public interface IIdAllocator
{
    /// <summary>The next id, unique for the server's (or cluster's) lifetime; false when none can be had right now.</summary>
    bool TryAllocate(out long id);
}
