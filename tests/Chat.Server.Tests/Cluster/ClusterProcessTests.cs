using System.Diagnostics;
using System.Globalization;
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

    // A process shows its count only when asked, so this asks again after a short pause until the
    // answer comes or the deadline passes: the one place a poll stands in for an event, because the
    // event (a peer's heartbeat expiring) happens inside another process and sends nothing out.
    private static async Task WaitForCountAsync(ProgramProcess process, string expected)
    {
        var deadline = Stopwatch.StartNew();
        var last = string.Empty;
        while (deadline.Elapsed < TestTimeouts.Default)
        {
            await process.WriteLineAsync("num.users");
            last = await process.ReadOutputLineAsync();
            if (last == expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"num.users stayed '{last}', never '{expected}'");
    }
}
