namespace Chat.Cluster.Redis;

/// <summary>One other node as this node sees it, for the operator's <c>nodes</c> and <c>stats</c>.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Address">Where its clients connect.</param>
/// <param name="Users">Its users, as this node's directory counts them.</param>
/// <param name="LastHeard">When this node last heard from it.</param>
/// <param name="Figures">The figures its last heartbeat carried, as <see cref="IClusterInbox.Figures"/> wrote them there; empty until one came.</param>
public sealed record NodeView(string Name, string Address, int Users, DateTimeOffset LastHeard, string Figures);
