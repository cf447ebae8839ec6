namespace Chat.Cluster.Redis;

/// <summary>How one node joins the cluster.</summary>
/// <param name="Configuration">A StackExchange.Redis configuration string (<c>host:port,password=…,ssl=true</c>).</param>
/// <param name="ClusterName">Prefix of every key and channel, so several clusters can share one Redis.</param>
/// <param name="NodeName">This node's name, unique in the cluster.</param>
/// <param name="Address">Where clients reach this node, shown by the operator's <c>nodes</c>.</param>
/// <param name="NodeTimeout">A node not heard from for this long is dead, and its users are gone.</param>
/// <param name="IdBlockSize">Ids leased per Redis round trip.</param>
public sealed record ClusterSettings(
    string Configuration,
    string ClusterName,
    string NodeName,
    string Address,
    TimeSpan NodeTimeout,
    int IdBlockSize = 1000)
{
    /// <summary>How often a node announces itself: three beats fit in one timeout, so one lost beat kills nobody.</summary>
    public TimeSpan HeartbeatInterval => NodeTimeout / 3;
}
