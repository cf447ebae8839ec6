using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Chat.TestKit;
using Microsoft.Extensions.Options;

namespace Chat.Server.Tests;

/// <summary>The remote console: the admin socket of a running server, and <c>chat-server admin</c>.</summary>
public class AdminSocketTests
{
    private const int SigKill = 9;

    [Fact]
    public async Task OneShotAdminCommandAnswersFromARunningServerAndExitsZero()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartWithAdminSocketAsync(socketPath);
        await using var user = await server.ConnectAsync();

        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "num.users");

        Assert.Equal(0, await admin.WaitForExitAsync());
        Assert.Equal("1\n", await admin.ReadRemainingOutputAsync());
    }

    [Fact]
    public async Task OneShotAdminCommandPassesItsOwnOptionsThrough()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartWithAdminSocketAsync(socketPath);

        await using var admin = ProgramProcess.Start("chat-server", "admin", "list.users", "--json", "--admin-socket", socketPath);

        Assert.Equal(0, await admin.WaitForExitAsync());
        Assert.Equal("{\"total\":0,\"users\":[]}\n", await admin.ReadRemainingOutputAsync());
    }

    [Fact]
    public async Task OneShotAdminCommandThatFailsExitsOne()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartWithAdminSocketAsync(socketPath);

        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "kick", "99");

        Assert.Equal(1, await admin.WaitForExitAsync());
        Assert.Equal("kick: no user 99 is connected (usage: kick ID [reason])\n", await admin.ReadRemainingOutputAsync());
    }

    [Fact]
    public async Task AdminWithNoServerExitsTwoNamingTheSocket()
    {
        var socketPath = ProgramProcess.TempSocketPath();

        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "num.users");

        var complaint = await admin.WaitForErrorAsync(line => line.StartsWith("chat-server admin:", StringComparison.Ordinal));
        Assert.Contains(socketPath, complaint, StringComparison.Ordinal);
        Assert.Equal(2, await admin.WaitForExitAsync());
    }

    [Fact]
    public async Task InteractiveAdminRunsEachLineItReadsUntilInputEnds()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartWithAdminSocketAsync(socketPath);
        await using var user = await server.ConnectAsync();
        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath);

        await admin.WriteLineAsync("num.users");
        Assert.Equal("1", await admin.ReadOutputLineAsync());
        await admin.WriteLineAsync("say lunch is ready");
        Assert.Equal("sent to 1 users", await admin.ReadOutputLineAsync());
        await admin.WriteLineAsync("show.user 999");
        Assert.StartsWith("show.user: no user 999 is connected", await admin.ReadOutputLineAsync(), StringComparison.Ordinal);
        await admin.WriteLineAsync($"kick {user.Id} enough");
        Assert.Equal($"kicked user {user.Id}", await admin.ReadOutputLineAsync());
        admin.CloseInput();

        Assert.Equal(0, await admin.WaitForExitAsync());
        var received = await user.ExpectClosedAsync();
        Assert.Equal(["lunch is ready", "you were disconnected by the operator: enough"], received.Select(message => message.Msg));
        Assert.All(received, message => Assert.Equal(0, message.From));
    }

    [Fact]
    public async Task OneConnectionCarriesManyCommandsEachEndedByItsTerminator()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var server = await StartWithAdminSocketAsync(socketPath);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);

        await stream.WriteAsync(Encoding.UTF8.GetBytes("num.users\r\nnum.userz\nset max.users 5\n"));

        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        string[] expected = ["0", "\0ok", "unknown command 'num.userz'; type 'help' for the list", "\0error", "max.users: 10000 -> 5 (from the next handshake on)", "\0ok"];
        foreach (var line in expected)
        {
            Assert.Equal(line, await reader.ReadLineAsync(deadline.Token));
        }

        Assert.Equal(5, server.Hub.MaxUsers);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task OnlyTheServersUserMayOpenTheSocketAndItIsGoneAfterStop()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        var server = await StartWithAdminSocketAsync(socketPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socketPath));

        await server.DisposeAsync();
        Assert.False(File.Exists(socketPath));
    }

    [Fact]
    public async Task AStaleSocketFileFromAKilledServerIsReplaced()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using (var killed = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--admin-socket", socketPath))
        {
            await ServerProcessTests.WaitForListeningAsync(killed);
            killed.Signal(SigKill);
            Assert.Equal(128 + SigKill, await killed.WaitForExitAsync());
        }

        Assert.True(File.Exists(socketPath));

        await using var server = await StartWithAdminSocketAsync(socketPath);
        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "num.users");
        Assert.Equal(0, await admin.WaitForExitAsync());
    }

    [Fact]
    public async Task ASecondServerOnTheSameSocketRefusesToStart()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await using var first = await StartWithAdminSocketAsync(socketPath);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithAdminSocketAsync(socketPath));

        Assert.Contains("in use by another running server", failure.Message, StringComparison.Ordinal);
        Assert.Equal("0", first.RunCommand("num.users"));
        await using var admin = ProgramProcess.Start("chat-server", "admin", "--admin-socket", socketPath, "num.users");
        Assert.Equal(0, await admin.WaitForExitAsync());
    }

    [Theory]
    [InlineData("precious")]
    [InlineData("")]
    public async Task AFileThatIsNoSocketIsNeverRemovedAndStopsStartUp(string content)
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await File.WriteAllTextAsync(socketPath, content);
        try
        {
            var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithAdminSocketAsync(socketPath));

            Assert.Contains("exists and is not a socket; it is left alone", failure.Message, StringComparison.Ordinal);
            Assert.Equal(content, await File.ReadAllTextAsync(socketPath));
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    [Fact]
    public async Task AnEmptyFileAtTheSocketPathStopsTheProcessWithExitCodeTwoAndStays()
    {
        var socketPath = ProgramProcess.TempSocketPath();
        await File.WriteAllTextAsync(socketPath, string.Empty);
        try
        {
            await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--admin-socket", socketPath);

            var complaint = await server.WaitForErrorAsync(line => line.StartsWith("chat-server: bad configuration:", StringComparison.Ordinal));
            Assert.Contains($"'{socketPath}' exists and is not a socket", complaint, StringComparison.Ordinal);
            Assert.Equal(2, await server.WaitForExitAsync());
            Assert.True(File.Exists(socketPath));
            Assert.Equal(0, new FileInfo(socketPath).Length);
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task UnderAPermissiveUmaskTheSocketAppearsWithMode0600AndItsModeNeverChanges()
    {
        var folder = Directory.CreateTempSubdirectory("chat-admin-");
        try
        {
            var socketPath = Path.Combine(folder.FullName, "admin.sock");
            var events = new ConcurrentQueue<(WatcherChangeTypes Change, string Name)>();
            var sentinelSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var watcher = new FileSystemWatcher(folder.FullName)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Attributes,
            };
            void Record(object sender, FileSystemEventArgs change)
            {
                events.Enqueue((change.ChangeType, change.Name ?? string.Empty));
                if (change.Name == "sentinel")
                {
                    sentinelSeen.TrySetResult();
                }
            }

            watcher.Created += Record;
            watcher.Changed += Record;
            watcher.Deleted += Record;
            watcher.EnableRaisingEvents = true;

            // umask 000: a socket bound at its final path would be open to every user (mode 0777)
            // until its chmod.
            await using var server = ProgramProcess.StartCommand("sh", AppContext.BaseDirectory, "-c",
                $"umask 000 && exec dotnet chat-server.dll --host 127.0.0.1 --port 0 --admin-socket '{socketPath}'");
            await server.WaitForErrorAsync(line => line.StartsWith("chat-server remote console on", StringComparison.Ordinal));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socketPath));

            // Inotify reports in order: once the sentinel's creation is in, everything before it is.
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "sentinel"), string.Empty);
            await sentinelSeen.Task.WaitAsync(TestTimeouts.Default);

            // The name appeared once, on a socket that already had mode 0600, and its mode never changed.
            Assert.Equal([WatcherChangeTypes.Created], events.Where(change => change.Name == "admin.sock").Select(change => change.Change));
            Assert.Equal(["admin.sock", "sentinel"], folder.EnumerateFileSystemInfos().Select(entry => entry.Name).Order());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task APathWhoseFolderLeavesNoRoomForThePrivateBindFolderStopsStartUpWithAReason()
    {
        // About 104 bytes, within the 107 of a socket path; its folder's path and the 20 bytes of the private folder are not.
        var socketPath = Path.Combine(Path.GetTempPath(), new string('f', 100 - Path.GetTempPath().Length), "a.s");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithAdminSocketAsync(socketPath));

        Assert.Contains("is in a folder whose path is too long", failure.Message, StringComparison.Ordinal);
    }

    private static Task<TestServer> StartWithAdminSocketAsync(string socketPath) =>
        TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:AdminSocketPath"] = socketPath });
}
