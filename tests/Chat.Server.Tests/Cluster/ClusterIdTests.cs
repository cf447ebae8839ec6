using Chat.Cluster.Redis;
using Chat.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests.Cluster;

/// <summary>
/// Ids after Redis lost its data: never one below an id already handed out. Nodes on a real Redis,
/// each on a fake clock of its own, so that the test says which node beats (and so rejoins) when;
/// blocks of ten ids, so that a few handshakes use one up.
/// </summary>
public class ClusterIdTests
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ALeaseTakenJustBeforeRedisLostItsDataIsKnownToTheNodeThatLeasesNext()
    {
        await using var redis = await RedisServer.StartAsync();
        await ClusterNodes.SeedAsync(redis);
        var (clockA, clockB) = (new FakeTimeProvider(), new FakeTimeProvider());
        await using var a = Node("a", redis, clockA);
        await using var b = Node("b", redis, clockB);
        await StartLinkedAsync(a, clockA);
        await StartLinkedAsync(b, clockB);

        // A uses up its block and takes the next one ahead of need. No heartbeat runs (the clocks
        // stand still): only the lease's own announcement can tell b of it.
        var used = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(a.TryAllocate(out var id));
            used.Add(id);
        }

        await Poll.UntilAsync(() => b.IdFloor >= 30, "b never heard of a's second lease");
        var first = 0L;
        await Poll.UntilAsync(() => a.TryAllocate(out first), "a never had its second block");
        used.Add(first);
        Assert.Equal(21, first);

        // Redis loses everything; b rejoins first and leases anew.
        await redis.StopAsync();
        await redis.RestartAsync();
        await RejoinAsync(b, clockB);

        Assert.True(b.TryAllocate(out var next));
        Assert.True(next > used.Max(), $"b handed out {next} after a had handed out {used.Max()}");
    }

    [Fact]
    public async Task ANodeStartingRightAfterRedisLostItsDataWaitsUntilTheOthersRaisedTheCounter()
    {
        await using var redis = await RedisServer.StartAsync();
        await ClusterNodes.SeedAsync(redis);
        var (clockA, clockC) = (new FakeTimeProvider(), new FakeTimeProvider());
        await using var a = Node("a", redis, clockA);
        await StartLinkedAsync(a, clockA);
        var used = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(a.TryAllocate(out var id));
            used.Add(id);
        }

        await redis.StopAsync();
        await redis.RestartAsync();

        // A new node finds Redis empty: it cannot know that a handed out ids, so it waits.
        await using var c = Node("c", redis, clockC);
        var starting = c.StartAsync(new QuietInbox(), CancellationToken.None);
        await Poll.UntilAsync(async () => await redis.RunAsync("EXISTS", "chat:settling") == "1", () => "c never found Redis new");
        await RejoinAsync(a, clockA);
        Assert.False(starting.IsCompleted, "c took ids before the settling time was over");

        clockC.Advance(NodeTimeout);
        await starting.WaitAsync(TestTimeouts.Default);

        Assert.True(c.TryAllocate(out var fresh));
        Assert.True(fresh > used.Max(), $"c handed out {fresh} after a had handed out {used.Max()}");
        Assert.True(a.TryAllocate(out var again));
        Assert.True(again > used.Max(), $"a handed out {again} after it had handed out {used.Max()}");
        Assert.NotEqual(fresh, again);
    }

    [Fact]
    public async Task TheFirstNodeOfANewClusterWaitsTheSettlingTimeAndNoMore()
    {
        await using var redis = await RedisServer.StartAsync();
        var clock = new FakeTimeProvider();
        await using var first = Node("first", redis, clock);

        var starting = first.StartAsync(new QuietInbox(), CancellationToken.None);
        await Poll.UntilAsync(async () => await redis.RunAsync("EXISTS", "chat:settling") == "1", () => "the node never found Redis new");
        Assert.False(starting.IsCompleted);
        clock.Advance(NodeTimeout);
        await starting.WaitAsync(TestTimeouts.Default);

        Assert.True(first.TryAllocate(out var id));
        Assert.Equal(1, id);
    }

    private static RedisClusterNode Node(string name, RedisServer redis, TimeProvider clock) =>
        new(new ClusterSettings(redis.Configuration, "chat", name, "-", NodeTimeout, IdBlockSize: 10), clock, NullLogger<RedisClusterNode>.Instance);

    // A start on a busy machine can end before the client's connection is up; the node then
    // joins on a heartbeat, which only this test's clock brings.
    private static async Task StartLinkedAsync(RedisClusterNode node, FakeTimeProvider clock)
    {
        await node.StartAsync(new QuietInbox(), CancellationToken.None);
        await Poll.UntilAsync(() =>
        {
            if (!node.IsLinked)
            {
                clock.Advance(NodeTimeout / 3);
            }

            return node.IsLinked;
        }, "the node never joined");
    }

    // The node finds the link down, then rejoins on a heartbeat once its client has reconnected.
    // The client reconnects on its own timer, which sends no event out: so this beats, looks, and
    // beats again.
    private static async Task RejoinAsync(RedisClusterNode node, FakeTimeProvider clock)
    {
        await Poll.UntilAsync(() => !node.IsLinked, "the node never found the link down");
        await Poll.UntilAsync(() =>
        {
            clock.Advance(NodeTimeout / 3);
            return node.IsLinked;
        }, "the node never rejoined");
    }

    private sealed class QuietInbox : IClusterInbox
    {
        public void BeginBatch()
        {
        }

        public void EndBatch()
        {
        }

        public bool DeliverTo(long recipient, ReadOnlySpan<byte> frame) => false;

        public void DeliverToAll(ReadOnlySpan<byte> frame)
        {
        }

        public void Kick(long id, string notice)
        {
        }

        public void Announce(string text)
        {
        }

        public void Notice(long recipient, string text)
        {
        }

        public IReadOnlyCollection<ClusterUser> LocalUsers() => [];

        public string Figures() => string.Empty;
    }
}
