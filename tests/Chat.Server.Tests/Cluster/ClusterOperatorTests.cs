namespace Chat.Server.Tests.Cluster;

public class ClusterOperatorTests
{
    [Fact]
    public async Task NumUsersKickAndSayAgreeAcrossNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await using var carol = await cluster[2].ConnectAsync();
        await cluster.WaitForUsersAsync(3);

        Assert.All(cluster.Nodes, node => Assert.Equal("3", node.RunCommand("num.users")));
        Assert.Equal("1", cluster[1].RunCommand("num.users --local"));
        Assert.Contains("node3", cluster[0].RunCommand("nodes"), StringComparison.Ordinal);

        Assert.Contains("sent to 1 users here and to 2 other nodes", cluster[2].RunCommand("say hello all"), StringComparison.Ordinal);
        foreach (var user in new[] { alice, bob, carol })
        {
            var notice = await user.ReceiveMessageAsync();
            Assert.Equal((0L, user.Id, "hello all"), (notice.From, notice.To, notice.Msg));
        }

        Assert.Contains("asked node node2", cluster[0].RunCommand($"kick {bob.Id} enough"), StringComparison.Ordinal);
        var before = await bob.ExpectClosedAsync();
        Assert.Contains("enough", before.Single().Msg, StringComparison.Ordinal);
        await cluster.WaitForUsersAsync(2);
        Assert.All(cluster.Nodes, node => Assert.Equal("2", node.RunCommand("num.users")));
    }
}
