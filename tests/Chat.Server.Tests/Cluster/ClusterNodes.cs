using Chat.TestKit;

namespace Chat.Server.Tests.Cluster;

/// <summary>One redis-server of the test's own and several in-process nodes sharing it.</summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    // Short, so a liveness test does not wait long; three beats still fit in it.
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(1.5);

    private ClusterNodes(RedisServer redis, List<TestServer> nodes)
    {
        Redis = redis;
        Nodes = nodes;
    }

    public RedisServer Redis { get; }

    public List<TestServer> Nodes { get; }

    public TestServer this[int index] => Nodes[index];

    public static async Task<ClusterNodes> StartAsync(int count = 3)
    {
        var redis = await RedisServer.StartAsync();
        var nodes = new List<TestServer>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await TestServer.StartAsync(Settings(redis, $"node{i + 1}")));
        }

        var cluster = new ClusterNodes(redis, nodes);
        await cluster.WaitForUsersAsync(0);
        return cluster;
    }

    public static Dictionary<string, string?> Settings(RedisServer redis, string nodeName) => new()
    {
        ["Chat:Redis"] = redis.Configuration,
        ["Chat:NodeName"] = nodeName,
        ["Chat:NodeTimeout"] = NodeTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Waits until every node is linked, sees all the others and counts <paramref name="users"/>.</summary>
    public async Task WaitForUsersAsync(int users)
    {
        foreach (var node in Nodes)
        {
            await node.WaitForClusterAsync(
                server => server.IsLinked && server.ClusterUserCount == users && server.Hub.Presence!.Nodes().Count == Nodes.Count - 1,
                $"{users} users on {Nodes.Count} nodes");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
