namespace Chat.Cluster.Redis;

/// <summary>What this node knows of one other node: its users, its figures and when it was last heard from.</summary>
internal sealed class PeerNode
{
    public PeerNode(string name) => Name = name;

    public string Name { get; }

    public string Address { get; set; } = "-";

    /// <summary>The figures its last heartbeat carried (opaque to the cluster: the server reads them); empty until one came.</summary>
    public string Figures { get; set; } = string.Empty;

    public HashSet<long> Users { get; } = [];

    /// <summary>
    /// After its <c>hello</c>: the users it had before, not yet announced again. The joins that
    /// follow the hello take them off; its next heartbeat, which comes after those joins, drops
    /// whoever is left. Until then they stay reachable, so a node that rejoins never looks empty.
    /// </summary>
    public HashSet<long>? Stale { get; set; }

    public long LastHeard { get; set; }
}
