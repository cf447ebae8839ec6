using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Chat.TestKit;

namespace Chat.Server.Tests.Cluster;

public class ClusterProcessTests
{
    private const double NodeTimeoutSeconds = 1.5;

    [Fact]
    public async Task KilledNodeProcessLosesItsUsersEverywhereWithinTheTimeout()
    {
        await using var redis = await RedisServer.StartAsync();
        var environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        var processes = new List<ProgramProcess>();
        var users = new List<TestConnection>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                var process = ProgramProcess.Start("chat-server", environment,
                    "--host", "127.0.0.1", "--port", "0", "--redis", redis.Configuration, "--node-name", $"proc{i}",
                    "--node-timeout", NodeTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
                processes.Add(process);
                var endPoint = await ServerProcessTests.WaitForListeningAsync(process);
                var user = await TestConnection.ConnectAsync(endPoint);
                Assert.False((await user.ReceiveHandshakeAsync()).Error);
                users.Add(user);
            }

            var (alice, carol) = (users[0], users[2]);
            await WaitForCountAsync(processes[0], "3");
            await alice.SendAsync(carol.Id, "hello over there");
            Assert.Equal("hello over there", (await alice.ReceiveMessageAsync()).Msg);
            Assert.Equal("hello over there", (await carol.ReceiveMessageAsync()).Msg);

            var clock = Stopwatch.StartNew();
            processes[2].Signal(9);
            await WaitForCountAsync(processes[0], "2");
            await WaitForCountAsync(processes[1], "2");
            // Declared dead after the timeout, checked once per heartbeat (a third of it): allow one more beat.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(NodeTimeoutSeconds * 2), $"took {clock.Elapsed}");

            await alice.SendAsync(carol.Id, "still there?");
            Assert.Equal("still there?", (await alice.ReceiveMessageAsync()).Msg);
            var notice = await alice.ReceiveMessageAsync();
            Assert.Contains($"user {carol.Id} is not connected", notice.Msg, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var user in users)
            {
                await user.DisposeAsync();
            }

            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ShutdownOfOneNodeProcessDropsItsUsersAndItselfEverywhereAtOnce()
    {
        await using var redis = await RedisServer.StartAsync();
        await ClusterNodes.SeedAsync(redis);
        var environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" };
        var metricsPort = FreePort();
        var processes = new List<ProgramProcess>();
        var users = new List<TestConnection>();
        try
        {
            // A node timeout far longer than the test: whatever leaves here leaves by saying so.
            for (var i = 1; i <= 3; i++)
            {
                string[] metrics = i == 1 ? ["--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture)] : [];
                var process = ProgramProcess.Start("chat-server", environment,
                    ["--host", "127.0.0.1", "--port", "0", "--redis", redis.Configuration, "--node-name", $"proc{i}", "--node-timeout", "60", .. metrics]);
                processes.Add(process);
                var endPoint = await ServerProcessTests.WaitForListeningAsync(process);
                for (var j = 0; j < (i == 3 ? 2 : 1); j++)
                {
                    var user = await TestConnection.ConnectAsync(endPoint);
                    Assert.False((await user.ReceiveHandshakeAsync()).Error);
                    users.Add(user);
                }
            }

            var (alice, carol) = (users[0], users[2]);
            await WaitForCountAsync(processes[0], "4");
            await WaitForCountAsync(processes[1], "4");

            // The same four users, each with its node, from either end.
            foreach (var process in new[] { processes[0], processes[2] })
            {
                await process.WriteLineAsync("list.users --json");
                using var list = JsonDocument.Parse(await process.ReadOutputLineAsync());
                Assert.Equal(
                    new[] { (users[0].Id, "proc1"), (users[1].Id, "proc2"), (users[2].Id, "proc3"), (users[3].Id, "proc3") }.OrderBy(user => user.Item1),
                    list.RootElement.GetProperty("users").EnumerateArray().Select(user => (user.GetProperty("id").GetInt64(), user.GetProperty("node").GetString()!)));
            }

            await alice.SendAsync(carol.Id, "across");
            Assert.Equal("across", (await alice.ReceiveMessageAsync()).Msg);
            Assert.Equal("across", (await carol.ReceiveMessageAsync()).Msg);
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TestTimeouts.Default })
            {
                var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                Assert.Matches(@"(?m)^chat_cluster_messages_sent_total\{[^}]*\} 1$", metrics);
                Assert.Matches(@"(?m)^chat_cluster_link\{[^}]*\} 1$", metrics);
                Assert.Matches(@"(?m)^chat_cluster_nodes\{[^}]*\} 3$", metrics);
                Assert.Matches(@"(?m)^chat_cluster_users\{[^}]*\} 4$", metrics);
                Assert.Matches(@"(?m)^chat_cluster_redis_round_trip_seconds\{[^}]*\} \d", metrics);
            }

            var clock = Stopwatch.StartNew();
            await processes[2].WriteLineAsync("shutdown 0");
            Assert.Equal(0, await processes[2].WaitForExitAsync());
            await WaitForCountAsync(processes[0], "2");
            await WaitForCountAsync(processes[1], "2");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}; a silent node is dropped only after 60 s");

            await processes[0].WriteLineAsync("nodes --json");
            using (var nodes = JsonDocument.Parse(await processes[0].ReadOutputLineAsync()))
            {
                Assert.Equal(["proc1", "proc2"], nodes.RootElement.EnumerateArray().Select(node => node.GetProperty("name").GetString()));
            }

            await alice.SendAsync(carol.Id, "still there?");
            Assert.Equal("still there?", (await alice.ReceiveMessageAsync()).Msg);
            Assert.Contains($"user {carol.Id} is not connected", (await alice.ReceiveMessageAsync()).Msg, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var user in users)
            {
                await user.DisposeAsync();
            }

            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    // A process shows its count only when asked, so this asks again after a short pause until the
    // answer comes or the deadline passes: the one place a poll stands in for an event, because the
    // event (a peer's heartbeat expiring) happens inside another process and sends nothing out.
    private static Task WaitForCountAsync(ProgramProcess process, string expected)
    {
        var last = string.Empty;
        return Poll.UntilAsync(
            async () =>
            {
                await process.WriteLineAsync("num.users");
                last = await process.ReadOutputLineAsync();
                return last == expected;
            },
            () => $"num.users stayed '{last}', never '{expected}'",
            TimeSpan.FromMilliseconds(50));
    }
}
