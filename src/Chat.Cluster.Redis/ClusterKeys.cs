using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Chat.Cluster.Redis;

/// <summary>Every key and channel the cluster uses, each prefixed with the cluster name (docs/ARCHITECTURE.md).</summary>
internal sealed class ClusterKeys
{
    private readonly ConcurrentDictionary<string, RedisChannel> _inboundOf = new(StringComparer.Ordinal);

    public ClusterKeys(string cluster, string node)
    {
        Ids = $"{cluster}:ids";
        Generation = $"{cluster}:generation";
        Settling = $"{cluster}:settling";
        Nodes = $"{cluster}:nodes";
        Presence = RedisChannel.Literal($"{cluster}:presence");
        Inbound = NodeChannel(cluster, node);
        OwnUsers = Users(cluster, node);
        OwnAlive = Alive(cluster, node);
        Cluster = cluster;
    }

    public string Cluster { get; }

    /// <summary>The id counter; INCRBY leases a block.</summary>
    public RedisKey Ids { get; }

    /// <summary>A random token set once per Redis data set: a new one means Redis lost its data.</summary>
    public RedisKey Generation { get; }

    /// <summary>
    /// Set with the generation, for one node timeout: while it lives, nodes that outlived a Redis
    /// restart may still be raising the id counter, and a node with no ids of its own waits.
    /// </summary>
    public RedisKey Settling { get; }

    /// <summary>Sorted set: node name scored by its last heartbeat (Unix ms), for the start-up snapshot.</summary>
    public RedisKey Nodes { get; }

    /// <summary>Join, leave, hello, heartbeat and bye events of every node.</summary>
    public RedisChannel Presence { get; }

    /// <summary>This node's inbound channel: everything another node sends here, in that node's order.</summary>
    public RedisChannel Inbound { get; }

    /// <summary>This node's users: a hash of id to what peers show of them, with a TTL the heartbeat refreshes.</summary>
    public RedisKey OwnUsers { get; }

    /// <summary>This node's heartbeat key (TTL = node timeout), holding its address.</summary>
    public RedisKey OwnAlive { get; }

    /// <summary>Another node's inbound channel; made once per node, since every cross-node message needs it.</summary>
    public RedisChannel InboundOf(string node) => _inboundOf.GetOrAdd(node, static (name, cluster) => NodeChannel(cluster, name), Cluster);

    public RedisKey UsersOf(string node) => Users(Cluster, node);

    public RedisKey AliveOf(string node) => Alive(Cluster, node);

    private static RedisChannel NodeChannel(string cluster, string node) => RedisChannel.Literal($"{cluster}:node:{node}");

    private static RedisKey Users(string cluster, string node) => $"{cluster}:users:{node}";

    private static RedisKey Alive(string cluster, string node) => $"{cluster}:alive:{node}";
}
