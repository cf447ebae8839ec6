using System.Diagnostics;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>Connections come and go by the thousand; nothing is left behind.</summary>
public class ChurnTests
{
    private const int Cycles = 10_000;
    private const int Parallel = 8;

    [Fact]
    public async Task TenThousandConnectHandshakeCloseCyclesLeaveNoUsersThreadsOrMemoryBehind()
    {
        await using var server = await TestServer.StartAsync();
        await RunCyclesAsync(server, 400);
        await server.WaitForUserCountAsync(0);
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        await RunCyclesAsync(server, Cycles);

        await server.WaitForUserCountAsync(0);
        Assert.Equal("0", server.RunCommand("num.users"));
        Assert.Equal(Cycles + 400, server.Hub.Statistics.HandshakesAccepted);
        var threadsAfter = Process.GetCurrentProcess().Threads.Count;
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(threadsAfter - threadsBefore < 50, $"threads grew from {threadsBefore} to {threadsAfter}");
        // A leaked session holds pipes and buffers of several kilobytes: 10,000 of them would be tens of megabytes.
        Assert.True(memoryAfter - memoryBefore < 16 * 1024 * 1024, $"managed memory grew from {memoryBefore} to {memoryAfter} bytes");
    }

    private static async Task RunCyclesAsync(TestServer server, int cycles)
    {
        var remaining = cycles;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await using var connection = await server.ConnectRawAsync();
                var handshake = await connection.ReceiveHandshakeAsync();
                Assert.False(handshake.Error, handshake.Reason);
            }
        })));
    }
}
