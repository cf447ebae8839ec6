using System.Text;
using System.Text.RegularExpressions;
using Chat.Server.Admin;
using Chat.Server.Transport;
using Chat.TestKit;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests;

/// <summary>
/// What bounds the admin consoles (docs/OPERATIONS.md, "Limits of the remote console"): the length
/// of a command line, how long the server waits for a console to read, how much a console that does
/// not read makes it hold, how many may be open, and how long one may send nothing.
/// </summary>
public partial class AdminConsoleLimitTests
{
    // Kestrel's default MaxWriteBufferSize: a flush waits once this much is written and not yet sent.
    private const int OutputPauseThreshold = 64 * 1024;

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

    [Fact]
    public async Task AConsoleThatStopsReadingIsAbortedOnceAReplyWaitedTheWriteTimeout()
    {
        var clock = new TimerWatchingTimeProvider();
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartAsync(socketPath, clock: clock);
        await using var console = await AdminTestConnection.ConnectAsync(socketPath);

        var flood = console.FloodAsync(Lines("help", 400_000));
        await AdvanceEachWriteTimeoutUntilAsync(clock, flood);

        // Whatever reached the socket is still there to read; then the connection is gone.
        await console.ExpectClosedAsync();
        await using var next = await AdminTestConnection.ConnectAsync(socketPath);
        await next.SendLineAsync("num.users");
        var (reply, succeeded) = await next.ReadReplyAsync();
        Assert.Equal(["0"], reply);
        Assert.True(succeeded);
    }

    [Fact]
    public async Task AConsoleThatNeverReadsHoldsUpTheServersStopOnlyForTheCloseTimeout()
    {
        var clock = new TimerWatchingTimeProvider();
        var socketPath = ProgramProcess.TempSocketPath();
        var server = await StartAsync(socketPath, clock: clock);
        await using var console = await AdminTestConnection.ConnectAsync(socketPath);
        var flood = console.FloodAsync(Lines("help", 400_000));
        await clock.WhenStartedAsync(AdminSession.WriteTimeout);

        var stopping = server.DisposeAsync().AsTask();
        await clock.WhenStartedAsync(AdminSession.CloseTimeout);
        Assert.False(stopping.IsCompleted);
        clock.Advance(AdminSession.CloseTimeout);

        await stopping.WaitAsync(TestTimeouts.Default);
        await flood.WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task AConsoleThatNeverReadsIsAnsweredNoFurtherThanItsSocketAndOneOutputBufferHold()
    {
        var clock = new TimerWatchingTimeProvider();
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartAsync(socketPath, clock: clock);
        await using var console = await AdminTestConnection.ConnectAsync(socketPath);

        // Units of five commands: a `set` that leaves the unit's number in the hub, then four `help`s.
        var units = Enumerable.Range(1, 50_000).Select(unit => $"set max.users {unit}\n" + string.Concat(Enumerable.Repeat("help\n", 4)));
        var flood = console.FloodAsync(Encoding.UTF8.GetBytes(string.Concat(units)));
        await AdvanceEachWriteTimeoutUntilAsync(clock, flood);

        // What the console can still read reached its socket; what the server answered beyond that
        // waited in the server's output buffer, which line-by-line answering keeps to one pause
        // threshold and one reply.
        var delivered = (await console.ExpectClosedAsync()).Select(line => SetReply().Match(line))
            .Where(match => match.Success).Select(match => int.Parse(match.Groups[1].ValueSpan)).LastOrDefault();
        var answered = server.Hub.MaxUsers;
        var unitReplyBytes = (4 * (server.RunCommand("help").Length + "\n\0ok\n".Length)) + "max.users: 1 -> 2 (from the next handshake on)\n\0ok\n".Length;
        Assert.True(delivered > 0);
        Assert.InRange(answered - delivered, 0, (OutputPauseThreshold / unitReplyBytes) + 2);
    }

    [Fact]
    public async Task AConsoleOverTheLimitIsRefusedWithOneErrorReplyWhileTheOthersGoOn()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartAsync(socketPath, new Dictionary<string, string?> { ["Chat:MaxAdminConnections"] = "2" });
        await using var first = await AdminTestConnection.ConnectAsync(socketPath);
        await using var second = await AdminTestConnection.ConnectAsync(socketPath);
        foreach (var console in new[] { first, second })
        {
            await console.SendLineAsync("num.users");
            Assert.True((await console.ReadReplyAsync()).Succeeded);
        }

        await using var third = await AdminTestConnection.ConnectAsync(socketPath);

        var (reply, succeeded) = await third.ReadReplyAsync();
        Assert.Equal(["too many admin consoles are open (the limit is 2); try again later"], reply);
        Assert.False(succeeded);
        Assert.Empty(await third.ExpectClosedAsync());
        await second.SendLineAsync("set max.users 7");
        Assert.True((await second.ReadReplyAsync()).Succeeded);
        Assert.Equal(7, server.Hub.MaxUsers);
    }

    [Fact]
    public async Task AdminAgainstAServerWithEveryConsoleTakenPrintsWhyAndExitsOne()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartAsync(socketPath, new Dictionary<string, string?> { ["Chat:MaxAdminConnections"] = "1" });
        await using var holder = await AdminTestConnection.ConnectAsync(socketPath);
        await holder.SendLineAsync("num.users");
        await holder.ReadReplyAsync();

        // The server answers before it reads, and closes: the command may find the socket closed.
        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "num.users");

        Assert.Equal(1, await admin.WaitForExitAsync());
        Assert.Equal("too many admin consoles are open (the limit is 1); try again later\n", await admin.ReadRemainingOutputAsync());
    }

    [Fact]
    public async Task AConsoleThatSendsNoCommandForTheIdleTimeoutIsClosed()
    {
        var clock = new FakeTimeProvider();
        var idleTimeout = TimeSpan.FromMinutes(5);
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartAsync(socketPath, new Dictionary<string, string?> { ["Chat:AdminIdleTimeout"] = "00:05:00" }, clock);
        await using var console = await AdminTestConnection.ConnectAsync(socketPath);
        await console.SendLineAsync("num.users");
        await console.ReadReplyAsync();

        // Each command starts the wait anew, before its reply is sent.
        clock.Advance(idleTimeout - TimeSpan.FromTicks(1));
        await console.SendLineAsync("num.users");
        Assert.True((await console.ReadReplyAsync()).Succeeded);

        clock.Advance(idleTimeout);
        Assert.Empty(await console.ExpectClosedAsync());
    }

    [Theory]
    [InlineData("MaxAdminConnections", "0")]
    [InlineData("MaxAdminConnections", "1001")]
    [InlineData("AdminIdleTimeout", "-00:00:01")]
    public async Task ABadAdminLimitStopsStartUpNamingTheSetting(string setting, string value)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(ProgramProcess.TempSocketPath(), new Dictionary<string, string?> { [$"Chat:{setting}"] = value }));

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShutdownEndsTheProcessPromptlyWhileAConsoleFloodsItAndNeverReads()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--admin-socket", socketPath);
        await ServerProcessTests.WaitForListeningAsync(server);
        await using var hog = await AdminTestConnection.ConnectAsync(socketPath);
        await hog.SendLineAsync("num.users");
        await hog.ReadReplyAsync();
        var flood = hog.FloodAsync(Lines("help", 400_000));

        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "shutdown", "0");

        Assert.Equal(0, await admin.WaitForExitAsync());
        // Before the bound the host waited out its own 30 s shutdown timeout; the deadline here is 15 s.
        Assert.Equal(0, await server.WaitForExitAsync());
        await flood.WaitAsync(TestTimeouts.Default);
    }

    // Each time the server starts waiting for the console to read a reply, moves the clock past
    // that wait, until `ended` completes. A wait may end on its own (the socket took more bytes)
    // before the clock moves; the next one is then waited for.
    private static async Task AdvanceEachWriteTimeoutUntilAsync(TimerWatchingTimeProvider clock, Task ended)
    {
        var seen = 0;
        while (!ended.IsCompleted)
        {
            var started = clock.WhenStartedAsync(AdminSession.WriteTimeout, seen);
            await Task.WhenAny(started, ended);
            if (!ended.IsCompleted)
            {
                await started;
                seen = clock.Started(AdminSession.WriteTimeout);
                clock.Advance(AdminSession.WriteTimeout);
            }
        }
    }

    [GeneratedRegex(@"^max\.users: \d+ -> (\d+) ")]
    private static partial Regex SetReply();

    private static byte[] Lines(string line, int count) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line + "\n", count)));

    private static Task<TestServer> StartAsync(string socketPath, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Chat:AdminSocketPath"] = socketPath };
        return TestServer.StartAsync(all, clock);
    }
}
