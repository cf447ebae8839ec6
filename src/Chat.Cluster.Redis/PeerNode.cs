namespace Chat.Cluster.Redis;

/// <summary>What this node knows of one other node: its users and when it was last heard from.</summary>
internal sealed class PeerNode
{
    public PeerNode(string name) => Name = name;

    public string Name { get; }

    public string Address { get; set; } = "-";

    public HashSet<long> Users { get; } = [];

    public long LastHeard { get; set; }
}
