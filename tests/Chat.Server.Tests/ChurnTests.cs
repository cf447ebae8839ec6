using System.Globalization;
using Chat.Server.Sessions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// Connections come and go by the thousand; nothing is left behind. Each test measures only what
/// is its own, so tests running in parallel cannot disturb it: the sessions it created (through
/// weak references), and the threads of a server process it started.
/// </summary>
public class ChurnTests
{
    private const int Cycles = 10_000;
    private const int Parallel = 8;

    [Fact]
    public async Task TenThousandConnectHandshakeCloseCyclesLeaveNoUsersOrSessionsBehind()
    {
        await using var server = await TestServer.StartAsync();
        var sessions = new WeakReference<ChatSession>?[Cycles];

        await RunCyclesAsync(server.EndPoint, Cycles, (cycle, id) =>
        {
            Assert.True(server.Hub.Registry.TryGet(id, out var session));
            sessions[cycle] = new WeakReference<ChatSession>(session);
        });

        await server.WaitForUserCountAsync(0);
        Assert.Equal("0", server.RunCommand("num.users"));
        Assert.Equal(Cycles, server.Hub.Statistics.HandshakesAccepted);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var alive = sessions.Count(reference => reference!.TryGetTarget(out _));
        Assert.True(alive == 0, $"{alive} of {Cycles} closed sessions are still reachable");
    }

    [Fact]
    public async Task ThousandsOfCyclesLeaveTheServerProcessWithTheThreadsItHadBefore()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Information would log every connection, and nobody reads this process's log while it runs.
        await using var process = ProgramProcess.Start(
            "chat-server", new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" }, "--host", "127.0.0.1", "--port", "0");
        var endPoint = await ServerProcessTests.WaitForListeningAsync(process);
        // A warm-up at the same parallelism grows the thread pool to what the load needs.
        await RunCyclesAsync(endPoint, 400, static (_, _) => { });
        var threadsBefore = ThreadCount(process.ProcessId);

        await RunCyclesAsync(endPoint, 3_000, static (_, _) => { });

        var threadsAfter = ThreadCount(process.ProcessId);
        Assert.True(threadsAfter - threadsBefore < 50, $"the server's threads grew from {threadsBefore} to {threadsAfter}");
    }

    private static int ThreadCount(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(line => line.StartsWith("Threads:", StringComparison.Ordinal));
        return int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task RunCyclesAsync(System.Net.IPEndPoint endPoint, int cycles, Action<int, long> onHandshake)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            int cycle;
            while ((cycle = Interlocked.Increment(ref next)) < cycles)
            {
                await using var connection = await TestConnection.ConnectAsync(endPoint);
                var handshake = await connection.ReceiveHandshakeAsync();
                Assert.False(handshake.Error, handshake.Reason);
                onHandshake(cycle, handshake.Id);
            }
        })));
    }
}
