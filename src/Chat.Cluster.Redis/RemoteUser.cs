namespace Chat.Cluster.Redis;

/// <summary>A user on another node, as this node's directory knows them.</summary>
/// <param name="User">What that node announced of the user.</param>
/// <param name="Node">The node that holds the user.</param>
public sealed record RemoteUser(ClusterUser User, string Node);
