using System.Net;
using System.Text.RegularExpressions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The real chat-server process, driven through its standard input, signals and sockets.</summary>
public partial class ServerProcessTests
{
    // Disconnects are logged at Debug, and some tests wait for those lines.
    private static readonly Dictionary<string, string> SessionLogAtDebug = new() { ["Logging__LogLevel__Chat.Server.Session"] = "Debug" };

    private const int SigTerm = 15;

    [Fact]
    public async Task NumUsersTypedIntoTheRealServerFollowsUsers()
    {
        await using var server = ProgramProcess.Start("chat-server", SessionLogAtDebug, "--host", "127.0.0.1", "--port", "0");
        var endPoint = await WaitForListeningAsync(server);

        Assert.Equal("0", await AskAsync(server, "num.users"));
        var first = await TestConnection.ConnectAsync(endPoint);
        await first.ReceiveHandshakeAsync();
        Assert.Equal("1", await AskAsync(server, "num.users"));

        var second = await TestConnection.ConnectAsync(endPoint);
        var third = await TestConnection.ConnectAsync(endPoint);
        await second.ReceiveHandshakeAsync();
        await third.ReceiveHandshakeAsync();
        Assert.Equal("3", await AskAsync(server, "num.users"));

        await second.DisposeAsync();
        await server.WaitForErrorAsync(line => line.Contains($"User {second.Id} disconnected", StringComparison.Ordinal));
        Assert.Equal("2", await AskAsync(server, "num.users"));

        // One at a time: two closing together may log in either order, and a wait skips what it passes.
        await first.DisposeAsync();
        await server.WaitForErrorAsync(line => line.Contains($"User {first.Id} disconnected", StringComparison.Ordinal));
        await third.DisposeAsync();
        await server.WaitForErrorAsync(line => line.Contains($"User {third.Id} disconnected", StringComparison.Ordinal));
        Assert.Equal("0", await AskAsync(server, "num.users"));

        await server.WriteLineAsync("shutdown");
        Assert.StartsWith("shutting down", await server.ReadOutputLineAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task SigtermDrainsUsersWithANoticeAndExitsZero()
    {
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--shutdown-timeout", "30");
        var endPoint = await WaitForListeningAsync(server);
        await using var user = await TestConnection.ConnectAsync(endPoint);
        await user.ReceiveHandshakeAsync();

        server.Signal(SigTerm);
        var notice = await user.ReceiveMessageAsync();
        Assert.Equal(0, notice.From);
        Assert.Contains("shutting down", notice.Msg, StringComparison.Ordinal);

        await user.SendAsync(0, "still served");
        Assert.Equal("still served", (await user.ReceiveMessageAsync()).Msg);
        await user.DisposeAsync();

        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task EndOfStandardInputLeavesTheServerServing()
    {
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0");
        var endPoint = await WaitForListeningAsync(server);

        server.CloseInput();
        await using var user = await TestConnection.ConnectAsync(endPoint);
        await user.ReceiveHandshakeAsync();
        await user.SendAsync(0, "anyone home?");

        Assert.Equal("anyone home?", (await user.ReceiveMessageAsync()).Msg);
        await user.DisposeAsync();
        server.Signal(SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task SecondSignalForcesTheStopWithoutWaitingOutTheDrain()
    {
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--shutdown-timeout", "600");
        var endPoint = await WaitForListeningAsync(server);
        await using var user = await TestConnection.ConnectAsync(endPoint);
        await user.ReceiveHandshakeAsync();

        server.Signal(SigTerm);
        Assert.Equal(0, (await user.ReceiveMessageAsync()).From);
        server.Signal(SigTerm);

        Assert.Equal(0, await server.WaitForExitAsync());
        await user.ExpectClosedAsync();
    }

    [Theory]
    [InlineData("Chat__IdleTimeout", "-00:00:01", "IdleTimeout")]
    [InlineData("Chat__MaxQueuedBytesPerConnection", "1000", "MaxQueuedBytesPerConnection")]
    [InlineData("Chat__MessageRatePerSecond", "fast", "MessageRatePerSecond")]
    [InlineData("Chat__IoThreads", "100000", "IoThreads")]
    public async Task BadValueFromTheEnvironmentStopsStartUpNamingTheSetting(string variable, string value, string setting)
    {
        await using var server = ProgramProcess.Start(
            "chat-server", new Dictionary<string, string> { [variable] = value }, "--host", "127.0.0.1", "--port", "0");

        var complaint = await server.WaitForErrorAsync(line => line.StartsWith("chat-server:", StringComparison.Ordinal));

        Assert.Contains(setting, complaint, StringComparison.Ordinal);
        Assert.Equal(2, await server.WaitForExitAsync());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public async Task IoThreadsSetsHowManySocketEventLoopsTheServerRuns(string threads)
    {
        await using var server = ProgramProcess.Start(
            "chat-server", new Dictionary<string, string> { ["Chat__IoThreads"] = threads }, "--host", "127.0.0.1", "--port", "0", "--http-port", "off");
        var endPoint = await WaitForListeningAsync(server);
        // The engines start with the first socket they watch; a user's connection makes sure of it.
        await using var user = await TestConnection.ConnectAsync(endPoint);
        await user.ReceiveHandshakeAsync();

        var eventLoops = Directory.GetDirectories($"/proc/{server.ProcessId}/task")
            .Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == ".NET Sockets");

        Assert.Equal(int.Parse(threads, System.Globalization.CultureInfo.InvariantCulture), eventLoops);
    }

    [Theory]
    [InlineData("--max-users", "0")]
    [InlineData("--port", "70000")]
    [InlineData("--port", "seven")]
    [InlineData("--http-port", "seven")]
    [InlineData("--http-port", "70000")]
    [InlineData("--host", "not-an-address")]
    [InlineData("--shutdown-timeout", "1e300")]
    [InlineData("--shutdown-timeout", "Infinity")]
    [InlineData("--shutdown-timeout", "NaN")]
    [InlineData("--shutdown-timeout", "-1")]
    [InlineData("--admin-socket", "/no-such-folder-for-chat-tests/chat.sock")]
    [InlineData("--admin-token", "too-short")]
    public async Task BadConfigurationStopsStartUpWithExitCodeTwo(string option, string value)
    {
        await using var server = ProgramProcess.Start("chat-server", option, value);

        var complaint = await server.WaitForErrorAsync(line => line.StartsWith("chat-server:", StringComparison.Ordinal));

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.False(string.IsNullOrWhiteSpace(complaint));
        Assert.DoesNotContain("Unhandled exception", await server.ReadRemainingErrorAsync(), StringComparison.Ordinal);
    }

    internal static async Task<IPEndPoint> WaitForListeningAsync(ProgramProcess server)
    {
        var line = await server.WaitForErrorAsync(line => line.Contains("listening on", StringComparison.Ordinal));
        var match = ListeningLine().Match(line);
        return new IPEndPoint(IPAddress.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<string> AskAsync(ProgramProcess server, string command)
    {
        await server.WriteLineAsync(command);
        return await server.ReadOutputLineAsync();
    }

    [GeneratedRegex(@"listening on ([0-9.]+):(\d+)")]
    private static partial Regex ListeningLine();
}
