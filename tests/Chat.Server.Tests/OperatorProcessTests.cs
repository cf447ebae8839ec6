using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The operator's commands typed into the real chat-server process, and its remote console.</summary>
public class OperatorProcessTests
{
    private const int SigTerm = 15;

    [Fact]
    public async Task CommandsTypedIntoTheRealServerReachUsersAndShowThem()
    {
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0");
        var endPoint = await ServerProcessTests.WaitForListeningAsync(server);
        await using var user = await TestConnection.ConnectAsync(endPoint);
        await user.ReceiveHandshakeAsync();
        await user.SendAsync(0, "hi");
        await user.ReceiveMessageAsync();

        await server.WriteLineAsync("list.users");
        Assert.StartsWith("id  ", await server.ReadOutputLineAsync(), StringComparison.Ordinal);
        Assert.Matches($@"^\s*{user.Id}\s+127\.0\.0\.1:\d+\s.*\s1\s+5\s", await server.ReadOutputLineAsync());

        await server.WriteLineAsync("stats");
        Assert.StartsWith("uptime ", await server.ReadOutputLineAsync(), StringComparison.Ordinal);
        Assert.Matches(@"^users\s+1 now, 1 at peak, limit 10000", await server.ReadOutputLineAsync());
        await server.WaitForOutputAsync(line => line.StartsWith("bytes.out", StringComparison.Ordinal));

        await server.WriteLineAsync("say hello from the operator");
        Assert.Equal("sent to 1 users", await server.ReadOutputLineAsync());
        var notice = await user.ReceiveMessageAsync();
        Assert.Equal((0L, "hello from the operator"), (notice.From, notice.Msg));

        await server.WriteLineAsync($"kick {user.Id}");
        Assert.Equal($"kicked user {user.Id}", await server.ReadOutputLineAsync());
        var last = Assert.Single(await user.ExpectClosedAsync());
        Assert.Equal((0L, "you were disconnected by the operator"), (last.From, last.Msg));
        await server.WaitForErrorAsync(line => line.Contains($"User {user.Id} disconnected: Kicked", StringComparison.Ordinal));

        server.Signal(SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task TheRemoteConsoleReachesTheRealServerAndTheSocketGoesWithIt()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--admin-socket", socketPath);
        var endPoint = await ServerProcessTests.WaitForListeningAsync(server);
        await using var user = await TestConnection.ConnectAsync(endPoint);
        await user.ReceiveHandshakeAsync();

        await using (var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "num.users"))
        {
            Assert.Equal(0, await admin.WaitForExitAsync());
            Assert.Equal("1\n", await admin.ReadRemainingOutputAsync());
        }

        await using (var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "shutdown", "0"))
        {
            Assert.Equal(0, await admin.WaitForExitAsync());
            Assert.StartsWith("shutting down", await admin.ReadRemainingOutputAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.False(File.Exists(socketPath));
    }
}
