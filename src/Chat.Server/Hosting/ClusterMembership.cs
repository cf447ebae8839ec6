using Chat.Cluster.Redis;
using Chat.Server.Routing;
using Microsoft.Extensions.Hosting;

namespace Chat.Server.Hosting;

/// <summary>
/// Joins the cluster before the server accepts clients (the host starts its services before
/// Kestrel), and says goodbye when it stops, so peers drop this node's users at once.
/// </summary>
internal sealed class ClusterMembership : IHostedService
{
    private readonly RedisClusterNode _node;
    private readonly ChatHub _hub;

    public ClusterMembership(RedisClusterNode node, ChatHub hub)
    {
        _node = node;
        _hub = hub;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _node.StartAsync(new ClusterInbox(_hub), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _node.LeaveAsync();
}
