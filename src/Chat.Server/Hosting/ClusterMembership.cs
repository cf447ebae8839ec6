using Chat.Cluster.Redis;
using Chat.Server.Admin;
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
    private readonly TrafficSampler _sampler;

    public ClusterMembership(RedisClusterNode node, ChatHub hub, TrafficSampler sampler)
    {
        _node = node;
        _hub = hub;
        _sampler = sampler;
    }

    // Every heartbeat carries this node's figures, for the other nodes' stats.
    public Task StartAsync(CancellationToken cancellationToken) =>
        _node.StartAsync(new ClusterInbox(_hub, () => NodeFigures.Collect(_hub, _sampler).Format()), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _node.LeaveAsync();
}
