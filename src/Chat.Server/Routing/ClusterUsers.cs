using Chat.Cluster.Redis;
using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>How a local user is described to the other nodes, the same in a join and in a resync.</summary>
internal static class ClusterUsers
{
    public static ClusterUser Of(ChatSession session) =>
        new(session.Id, session.RemoteEndPoint?.ToString() ?? "-", session.Transport, session.ConnectedAt);
}
