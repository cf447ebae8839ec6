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

    /// <summary>
    /// A Redis of its own and <paramref name="count"/> nodes on it. The Redis is seeded as one a
    /// cluster has used before (<see cref="SeedAsync"/>), so the nodes need not wait out the
    /// settling time of a new data set (ClusterIdTests covers that wait).
    /// </summary>
    /// <param name="count">How many nodes.</param>
    /// <param name="more">Settings of node i (from 0) on top of <see cref="Settings"/>.</param>
    public static async Task<ClusterNodes> StartAsync(int count = 3, Func<int, IDictionary<string, string?>>? more = null)
    {
        var redis = await RedisServer.StartAsync();
        await SeedAsync(redis);
        var nodes = new List<TestServer>();
        for (var i = 0; i < count; i++)
        {
            var settings = Settings(redis, $"node{i + 1}");
            foreach (var (key, value) in more?.Invoke(i) ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            nodes.Add(await TestServer.StartAsync(settings));
        }

        var cluster = new ClusterNodes(redis, nodes);
        await cluster.WaitForUsersAsync(0);
        return cluster;
    }

    /// <summary>Gives the default cluster a generation, as a Redis that a running cluster has used holds.</summary>
    public static Task SeedAsync(RedisServer redis) => redis.RunAsync("SET", "chat:generation", "seeded-by-the-test");

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
