using System.Text.Json;
using Chat.TestKit;

namespace Chat.Server.Tests.Cluster;

public class ClusterOperatorTests
{
    [Fact]
    public async Task NumUsersListUsersKickAndSayAgreeAcrossNodes()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await using var carol = await cluster[2].ConnectAsync();
        await cluster.WaitForUsersAsync(3);

        Assert.All(cluster.Nodes, node => Assert.Equal("3", node.RunCommand("num.users")));
        Assert.Equal("1", cluster[1].RunCommand("num.users --local"));
        Assert.Contains("node3", cluster[0].RunCommand("nodes"), StringComparison.Ordinal);
        var everyone = new[] { (alice.Id, "node1"), (bob.Id, "node2"), (carol.Id, "node3") }.OrderBy(user => user.Id).ToList();
        Assert.All(cluster.Nodes, node => Assert.Equal(everyone, UsersAndNodes(node)));

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
        everyone.RemoveAll(user => user.Id == bob.Id);
        Assert.All(cluster.Nodes, node => Assert.Equal(everyone, UsersAndNodes(node)));
    }

    [Fact]
    public async Task ListUsersShowsEveryNodesUsersWithTheirNodeAndWhatThatNodeAnnounced()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await using var carol = await cluster[2].ConnectAsync();
        await cluster.WaitForUsersAsync(3);
        await alice.SendAsync(bob.Id, "hi");
        await alice.ReceiveMessageAsync();
        await bob.ReceiveMessageAsync();

        var lines = cluster[0].RunCommand("list.users").Split('\n');

        Assert.Matches(@"^\s*id\s+node\s+address\s+transport\s+connected\s+idle\s+msgs\.in\s+bytes\.in\s+frames\.out\s+bytes\.out\s+queued\s+throttled$", lines[0]);
        // Alice is here: every figure. Bob and carol are elsewhere: what their node announced, and "-".
        Assert.Single(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line,
            $@"^\s*{alice.Id}\s+node1\s+127\.0\.0\.1:\d+\s+tcp\s+\S+\s+\S+\s+1\s+\d+\s+\d+\s+\d+\s+0\s+no$"));
        Assert.Single(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line,
            $@"^\s*{bob.Id}\s+node2\s+127\.0\.0\.1:\d+\s+tcp\s+\d\S*s\s+-\s+-\s+-\s+-\s+-\s+-\s+-$"));
        Assert.Single(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, $@"^\s*{carol.Id}\s+node3\s"));
        Assert.Equal("(-: kept by the user's own node; list.users --local there shows it)", lines[^1]);

        using var json = JsonDocument.Parse(cluster[0].RunCommand("list.users --json"));
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
        Assert.False(json.RootElement.GetProperty("partial").GetBoolean());
        var users = json.RootElement.GetProperty("users").EnumerateArray().ToDictionary(user => user.GetProperty("id").GetInt64());
        Assert.Equal("node1", users[alice.Id].GetProperty("node").GetString());
        Assert.Equal(1, users[alice.Id].GetProperty("messages_in").GetInt64());
        var remoteBob = users[bob.Id];
        Assert.Equal("node2", remoteBob.GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.Null, remoteBob.GetProperty("messages_in").ValueKind);
        Assert.Equal(JsonValueKind.Null, remoteBob.GetProperty("idle_seconds").ValueKind);

        // What node1 shows of bob is what node2, which holds him, says of him.
        using var atHome = JsonDocument.Parse(cluster[1].RunCommand("list.users --local --json"));
        var localBob = atHome.RootElement.GetProperty("users").EnumerateArray().Single();
        Assert.Equal(1, atHome.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(localBob.GetProperty("remote_address").GetString(), remoteBob.GetProperty("remote_address").GetString());
        Assert.Equal(localBob.GetProperty("transport").GetString(), remoteBob.GetProperty("transport").GetString());
        Assert.Equal(
            localBob.GetProperty("connected_at").GetDateTimeOffset().ToUnixTimeMilliseconds(),
            remoteBob.GetProperty("connected_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(2, cluster[0].RunCommand("list.users --local").Split('\n').Length);
        Assert.Equal("(1 of 3 users shown)", cluster[0].RunCommand("list.users 1").Split('\n')[2]);
    }

    [Fact]
    public async Task ShowUserFindsAUserOnAnyNodeAndSaysWhereTheRestIsKept()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        await using var alice = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await cluster.WaitForUsersAsync(2);

        var remote = cluster[0].RunCommand($"show.user {bob.Id}");
        Assert.Matches($@"(?m)^id\s+{bob.Id}$", remote);
        Assert.Matches(@"(?m)^node\s+node2$", remote);
        Assert.Matches(@"(?m)^address\s+127\.0\.0\.1:\d+$", remote);
        Assert.Matches(@"(?m)^transport\s+tcp$", remote);
        Assert.Matches(@"(?m)^connected for\s+\d", remote);
        Assert.DoesNotMatch(@"(?m)^messages in", remote);
        Assert.EndsWith($"(traffic, idle time and queue are kept by node node2: show.user {bob.Id} there)", remote, StringComparison.Ordinal);

        var local = cluster[1].RunCommand($"show.user {bob.Id}");
        Assert.Matches(@"(?m)^node\s+node2 \(this node\)$", local);
        Assert.Matches(@"(?m)^messages in\s+0$", local);

        using var json = JsonDocument.Parse(cluster[0].RunCommand($"show.user {bob.Id} --json"));
        Assert.Equal("node2", json.RootElement.GetProperty("node").GetString());
        Assert.Equal("tcp", json.RootElement.GetProperty("transport").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("queued_bytes").ValueKind);
        Assert.Equal("show.user: no user 999999 is connected (usage: show.user ID [--json])", cluster[0].RunCommand("show.user 999999"));
    }

    [Fact]
    public async Task StatsShowsEveryNodeWithItsFiguresAndTheTotals()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        await using var alice = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await using var carol = await cluster[2].ConnectAsync();
        await cluster.WaitForUsersAsync(3);
        await ExchangeAsync(alice, bob, 3);
        await ExchangeAsync(bob, carol, 2);

        // Another node's figures come with its heartbeat: wait for the beats after the traffic.
        await cluster[0].WaitForClusterAsync(
            node => Row(Stats(node), "node2").GetProperty("messages_in").GetInt64() == 2 &&
                    Row(Stats(node), "node3").GetProperty("cross_node_in").GetInt64() == 2,
            "node2's and node3's figures after the traffic");

        using var json = JsonDocument.Parse(cluster[0].RunCommand("stats --json"));
        var figures = json.RootElement.GetProperty("cluster");
        Assert.Equal("node1", figures.GetProperty("node").GetString());
        Assert.True(figures.GetProperty("linked").GetBoolean());
        Assert.True(figures.GetProperty("redis_round_trip_ms").GetDouble() > 0);
        var nodes = figures.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["node1", "node2", "node3"], nodes.Select(node => node.GetProperty("node").GetString()));
        Assert.True(nodes[0].GetProperty("self").GetBoolean());
        Assert.All(nodes, node => Assert.True(node.GetProperty("reported").GetBoolean()));
        Assert.All(nodes, node => Assert.Equal(1, node.GetProperty("users").GetInt32()));
        Assert.Equal([3L, 2L, 0L], nodes.Select(node => node.GetProperty("messages_in").GetInt64()));
        Assert.Equal([3L, 2L, 0L], nodes.Select(node => node.GetProperty("cross_node_out").GetInt64()));
        Assert.Equal([0L, 3L, 2L], nodes.Select(node => node.GetProperty("cross_node_in").GetInt64()));
        var totals = figures.GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("nodes").GetInt32());
        Assert.Equal(3, totals.GetProperty("users").GetInt32());
        Assert.Equal(5, totals.GetProperty("messages_in").GetInt64());
        Assert.Equal(3, totals.GetProperty("handshakes_accepted").GetInt64());
        // This node's own section is as before: its figures only.
        Assert.Equal(1, json.RootElement.GetProperty("users").GetProperty("now").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("traffic").GetProperty("messages_in").GetInt64());

        var text = cluster[0].RunCommand("stats");
        Assert.Matches(@"(?m)^cluster\s+node node1 of 3, link up, Redis round trip \d+\.\d\d ms; cross-node 3 out, 0 in, 0 unreachable$", text);
        Assert.Matches(@"(?m)^node\s+heard\s+uptime\s+users\s+msgs\.in\s+/s 10s\s+deliveries\s+frames\.out\s+bytes\.in\s+bytes\.out\s+x\.out\s+x\.in\s+x\.unreachable\s+rtt\.ms$", text);
        Assert.Matches(@"(?m)^node1 \(this node\)\s+now\s+\S+\s+1\s+3\s", text);
        Assert.Matches(@"(?m)^node2\s+\S+ ago\s+\S+\s+1\s+2\s", text);
        Assert.Matches(@"(?m)^total\s+-\s+-\s+3\s+5\s", text);
    }

    [Fact]
    public async Task ServerAloneShowsNoNodeColumnAndNoClusterSection()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();

        Assert.StartsWith("id  address", server.RunCommand("list.users"), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^node", server.RunCommand($"show.user {user.Id}"));
        Assert.DoesNotMatch(@"(?m)^(cluster|node)\s", server.RunCommand("stats"));
        using var stats = JsonDocument.Parse(server.RunCommand("stats --json"));
        Assert.False(stats.RootElement.TryGetProperty("cluster", out _));
        using var users = JsonDocument.Parse(server.RunCommand("list.users --json"));
        Assert.False(users.RootElement.TryGetProperty("partial", out _));
        Assert.Equal(JsonValueKind.Null, users.RootElement.GetProperty("users")[0].GetProperty("node").ValueKind);
    }

    private static async Task ExchangeAsync(TestConnection from, TestConnection to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await from.SendAsync(to.Id, $"m{i}");
            await from.ReceiveMessageAsync();
            Assert.Equal($"m{i}", (await to.ReceiveMessageAsync()).Msg);
        }
    }

    private static List<(long Id, string Node)> UsersAndNodes(TestServer node)
    {
        using var json = JsonDocument.Parse(node.RunCommand("list.users --json"));
        return [.. json.RootElement.GetProperty("users").EnumerateArray().Select(user => (user.GetProperty("id").GetInt64(), user.GetProperty("node").GetString()!))];
    }

    private static JsonElement Stats(TestServer node)
    {
        using var json = JsonDocument.Parse(node.RunCommand("stats --json"));
        return json.RootElement.Clone();
    }

    private static JsonElement Row(JsonElement stats, string node) =>
        stats.GetProperty("cluster").GetProperty("nodes").EnumerateArray().Single(row => row.GetProperty("node").GetString() == node);
}
