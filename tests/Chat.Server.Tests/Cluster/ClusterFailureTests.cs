using System.Diagnostics;
using Chat.TestKit;

namespace Chat.Server.Tests.Cluster;

public class ClusterFailureTests
{
    [Fact]
    public async Task RedisDownKeepsLocalChatAndNoticesCrossNodeSendersThenRedisBackResumesWithHigherIds()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        await using var carol = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await using var dave = await cluster[2].ConnectAsync();
        var earlier = new[] { alice.Id, carol.Id, bob.Id, dave.Id };
        await cluster.WaitForUsersAsync(4);

        await cluster.Redis.StopAsync();
        foreach (var node in cluster.Nodes)
        {
            await node.WaitForClusterAsync(server => !server.IsLinked, "the link go down");
        }

        // Local chat goes on untouched.
        await alice.SendAsync(carol.Id, "still here");
        Assert.Equal("still here", (await alice.ReceiveMessageAsync()).Msg);
        Assert.Equal("still here", (await carol.ReceiveMessageAsync()).Msg);
        Assert.Empty(await alice.BarrierAsync());

        // Across nodes: the echo, then a notice that says so.
        await alice.SendAsync(bob.Id, "across");
        Assert.Equal("across", (await alice.ReceiveMessageAsync()).Msg);
        var notice = await alice.ReceiveMessageAsync();
        Assert.Equal(0, notice.From);
        Assert.Contains("could not be reached", notice.Msg, StringComparison.Ordinal);
        Assert.Contains("partial", cluster[0].RunCommand("num.users"), StringComparison.Ordinal);

        await cluster.Redis.RestartAsync();
        await cluster.WaitForUsersAsync(4);

        await alice.SendAsync(bob.Id, "back again");
        Assert.Equal("back again", (await alice.ReceiveMessageAsync()).Msg);
        Assert.Equal("back again", (await bob.ReceiveMessageAsync()).Msg);
        Assert.Empty(await alice.BarrierAsync());

        // Redis lost the counter; the nodes raised it again above everything they had leased.
        foreach (var node in cluster.Nodes)
        {
            await using var newcomer = await node.ConnectAsync();
            Assert.True(newcomer.Id > earlier.Max(), $"new id {newcomer.Id} is not above {earlier.Max()}");
        }
    }

    [Fact]
    public async Task GracefulShutdownOfANodeDropsItsUsersEverywhereAtOnce()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        var leaving = cluster[2];
        await using var bob = await leaving.ConnectAsync();
        await cluster.WaitForUsersAsync(2);

        var clock = Stopwatch.StartNew();
        cluster.Nodes.Remove(leaving);
        await leaving.DisposeAsync();
        await cluster.WaitForUsersAsync(1);

        // "At once": well before a silent node would be declared dead.
        Assert.True(clock.Elapsed < ClusterNodes.NodeTimeout, $"took {clock.Elapsed}");
        await alice.SendAsync(bob.Id, "gone?");
        await alice.ReceiveMessageAsync();
        Assert.Contains("is not connected", (await alice.ReceiveMessageAsync()).Msg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeWithoutRedisRefusesNewcomersWithUnavailable()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        await using var node = await TestServer.StartAsync(ClusterNodes.Settings(redis, "lonely"));

        await using var connection = await node.ConnectRawAsync();
        var handshake = await connection.ReceiveHandshakeAsync();

        Assert.True(handshake.Error);
        Assert.Equal(Chat.Protocol.Refusal.Unavailable, handshake.Refusal);
        Assert.True(handshake.RetryAfterMs > 0);
    }

    [Fact]
    public async Task HungRedisDoesNotSlowLocalChatOrHandshakes()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        await using var alice = await cluster[0].ConnectAsync();
        await using var carol = await cluster[0].ConnectAsync();
        await cluster.WaitForUsersAsync(2);

        var hang = TimeSpan.FromSeconds(3);
        await cluster.Redis.HangAsync(hang);
        var clock = Stopwatch.StartNew();
        await using var newcomer = await cluster[0].ConnectAsync();
        for (var i = 0; i < 100; i++)
        {
            await alice.SendAsync(carol.Id, $"m{i}");
            await alice.ReceiveMessageAsync();
            Assert.Equal($"m{i}", (await carol.ReceiveMessageAsync()).Msg);
        }

        // A hundred round trips and a handshake, all while Redis sleeps: none of them waited for it.
        Assert.True(clock.Elapsed < hang / 2, $"took {clock.Elapsed} while Redis slept {hang}");
        await cluster.Redis.WaitForHangToEndAsync();
    }
}
