using System.Text;
using Chat.Server.Admin;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>What bounds one admin console: its line length (docs/OPERATIONS.md, "The line protocol").</summary>
public class AdminConsoleLimitTests
{
    [Theory]
    [InlineData(AdminProtocol.MaxLineLength + 1)]
    [InlineData(200_000)]
    public async Task ACommandLineOverTheLimitIsRefusedUnrunAndTheConnectionClosed(int length)
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartAsync(socketPath);
        await using var console = await AdminTestConnection.ConnectAsync(socketPath);

        // A command that would run if the server read it, padded past the limit, all in one write.
        var line = "set max.users 5".PadRight(length);
        await console.SendAsync(Encoding.UTF8.GetBytes(line + "\n"));

        var (reply, succeeded) = await console.ReadReplyAsync();
        Assert.Equal([$"command line longer than {AdminProtocol.MaxLineLength} bytes"], reply);
        Assert.False(succeeded);
        Assert.Empty(await console.ExpectClosedAsync());
        Assert.Equal(10_000, server.Hub.MaxUsers);
    }

    [Fact]
    public async Task ACommandLineOfExactlyTheLimitRuns()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartAsync(socketPath);
        await using var console = await AdminTestConnection.ConnectAsync(socketPath);

        await console.SendAsync(Encoding.UTF8.GetBytes("set max.users 5".PadRight(AdminProtocol.MaxLineLength) + "\r\n"));

        var (_, succeeded) = await console.ReadReplyAsync();
        Assert.True(succeeded);
        Assert.Equal(5, server.Hub.MaxUsers);
    }

    private static Task<TestServer> StartAsync(string socketPath, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Chat:AdminSocketPath"] = socketPath };
        return TestServer.StartAsync(all, clock);
    }
}
