namespace Chat.Cluster.Redis;

/// <summary>Which user is on which node: kept locally from presence events, so routing never asks Redis.</summary>
public interface IPresenceDirectory
{
    /// <summary>Raised after the set of remote users, the live nodes or the link state changed.</summary>
    event Action? Changed;

    /// <summary>This node's name in the cluster.</summary>
    string NodeName { get; }

    /// <summary>True while this node is linked to Redis and its directory is current; false means counts are partial.</summary>
    bool IsLinked { get; }

    /// <summary>Users on other live nodes.</summary>
    int RemoteUserCount { get; }

    /// <summary>Announces a local user that just joined; queued, never waited on.</summary>
    void Joined(long id);

    /// <summary>Announces a local user that just left; queued, never waited on.</summary>
    void Left(long id);

    /// <summary>The live node holding <paramref name="id"/>, when another node does.</summary>
    bool TryLocate(long id, out string node);

    /// <summary>The other nodes this node knows to be alive.</summary>
    IReadOnlyList<NodeView> Nodes();
}
