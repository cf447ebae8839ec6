namespace Chat.Cluster.Redis;

/// <summary>One other node as this node sees it, for the operator's <c>nodes</c> command.</summary>
public sealed record NodeView(string Name, string Address, int Users, DateTimeOffset LastHeard);
