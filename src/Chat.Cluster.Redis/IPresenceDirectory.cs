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

    /// <summary>Announces a local user that just joined, with what other nodes' operators see of them; queued, never waited on.</summary>
    void Joined(ClusterUser user);

    /// <summary>Announces a local user that just left; queued, never waited on.</summary>
    void Left(long id);

    /// <summary>The live node holding <paramref name="id"/>, when another node does.</summary>
    bool TryLocate(long id, out string node);

    /// <summary>User <paramref name="id"/> on another live node, with what that node told of them.</summary>
    bool TryFind(long id, out RemoteUser user);

    /// <summary>Every user of every other live node (a copy, in no particular order).</summary>
    IReadOnlyList<RemoteUser> RemoteUsers();

    /// <summary>The other nodes this node knows to be alive.</summary>
    IReadOnlyList<NodeView> Nodes();
}
