using Chat.TestKit;

namespace Chat.Server.Tests.Cluster;

public class ClusterRoutingTests
{
    [Fact]
    public async Task ThousandDirectMessagesToAnotherNodeArriveInOrderExactlyOnce()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await cluster.WaitForUsersAsync(2);

        const int count = 1000;
        for (var i = 0; i < count; i++)
        {
            await alice.SendAsync(bob.Id, $"m{i}");
        }

        for (var i = 0; i < count; i++)
        {
            var echo = await alice.ReceiveMessageAsync();
            Assert.Equal($"m{i}", echo.Msg);
        }

        for (var i = 0; i < count; i++)
        {
            var message = await bob.ReceiveMessageAsync();
            Assert.Equal((alice.Id, bob.Id, $"m{i}"), (message.From, message.To, message.Msg));
        }

        // Nothing more: after bob's own barrier nothing else is waiting for him, and alice got no notice.
        Assert.Empty(await bob.BarrierAsync());
        Assert.Empty(await alice.BarrierAsync());
    }

    [Fact]
    public async Task BroadcastReachesEveryUserOnThreeNodesOnceAndItsSenderOneEcho()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        var users = new List<TestConnection>();
        foreach (var node in cluster.Nodes)
        {
            users.Add(await node.ConnectAsync());
            users.Add(await node.ConnectAsync());
        }

        await cluster.WaitForUsersAsync(users.Count);
        var sender = users[0];
        await sender.SendAsync(-1, "to everyone");

        var echo = await sender.ReceiveMessageAsync();
        Assert.Equal((sender.Id, -1L, "to everyone"), (echo.From, echo.To, echo.Msg));
        foreach (var user in users.Skip(1))
        {
            Assert.Equal(echo, await user.ReceiveMessageAsync());
        }

        // A second broadcast from the same sender: the first was delivered exactly once, or its
        // second copy would stand between.
        await sender.SendAsync(-1, "second");
        await sender.ReceiveMessageAsync();
        foreach (var user in users.Skip(1))
        {
            Assert.Equal("second", (await user.ReceiveMessageAsync()).Msg);
        }

        Assert.Empty(await sender.BarrierAsync());
        foreach (var user in users)
        {
            await user.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThreeHundredConcurrentHandshakesOverThreeNodesGetDistinctIds()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        var connecting = Enumerable.Range(0, 300).Select(i => cluster[i % 3].ConnectAsync()).ToList();
        var users = await Task.WhenAll(connecting);

        Assert.Equal(300, users.Select(user => user.Id).Distinct().Count());
        Assert.All(users, user => Assert.True(user.Id > 0));
        await cluster.WaitForUsersAsync(300);
        foreach (var user in users)
        {
            await user.DisposeAsync();
        }

        await cluster.WaitForUsersAsync(0);
    }

    [Fact]
    public async Task MessageToAnIdNoNodeHoldsGetsTheNoticeAtOnce()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        await cluster.WaitForUsersAsync(1);

        await alice.SendAsync(999_999, "anyone?");

        Assert.Equal("anyone?", (await alice.ReceiveMessageAsync()).Msg);
        var notice = await alice.ReceiveMessageAsync();
        Assert.Equal(0, notice.From);
        Assert.Contains("999999 is not connected", notice.Msg, StringComparison.Ordinal);
    }
}
