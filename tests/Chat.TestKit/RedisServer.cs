using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Chat.TestKit;

/// <summary>
/// A real redis-server of a test's own, on a free port, with persistence off, so a restart loses
/// everything as a crashed Redis would. Stop and start it again on the same port to test outages.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;
    private Process? _sleeper;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The running redis-server's process id.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("redis-server is not running");

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again), empty; completes once it accepts connections.</summary>
    public async Task RestartAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--enable-debug-command", "local" })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server (apt-get install redis-server)");
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    // Drained from here on, so a full pipe never stalls the server.
                    _ = _process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    _ = _process.StandardError.ReadToEndAsync(CancellationToken.None);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("redis-server did not become ready in time");
        }

        throw new InvalidOperationException("redis-server exited before it was ready");
    }

    /// <summary>Makes the server hang for <paramref name="duration"/> (DEBUG SLEEP), as an overloaded one does; returns at once.</summary>
    public async Task HangAsync(TimeSpan duration)
    {
        var info = new ProcessStartInfo("redis-cli") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "DEBUG", "SLEEP", duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        _sleeper = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-cli");
        // The server says nothing when it starts sleeping and offers nothing to wait on, but its one
        // thread is then in a sleep system call instead of epoll_wait, which the kernel shows; so
        // this looks, every few milliseconds, until the deadline.
        var sleeper = _sleeper;
        await Poll.UntilAsync(
            async () =>
            {
                if (IsSleeping())
                {
                    return true;
                }

                if (sleeper.HasExited)
                {
                    throw new InvalidOperationException(
                        $"DEBUG SLEEP ended before redis-server was seen asleep (a failure, or a hang too short to see): {await sleeper.StandardOutput.ReadToEndAsync()}");
                }

                return false;
            },
            () => $"redis-server was not seen in a sleep system call within {TestTimeouts.Default} of DEBUG SLEEP",
            TimeSpan.FromMilliseconds(5));
    }

    // True while redis-server's main thread is in nanosleep or clock_nanosleep: its system call
    // number in /proc/PID/syscall (which differ by architecture), or else the kernel function it
    // waits in (wchan), for a kernel that shows one and not the other.
    private bool IsSleeping()
    {
        var process = _process ?? throw new InvalidOperationException("redis-server is not running");
        string[] sleeps = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? ["101", "115"] : ["35", "230"];
        try
        {
            if (sleeps.Contains(File.ReadAllText($"/proc/{process.Id}/syscall").Split(' ', 2)[0]))
            {
                return true;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Not readable here: wchan below.
        }

        return File.ReadAllText($"/proc/{process.Id}/wchan").Contains("nanosleep", StringComparison.Ordinal);
    }

    /// <summary>Runs one command with redis-cli and returns its reply (raw, one line per element).</summary>
    public async Task<string> RunAsync(params string[] command)
    {
        var info = new ProcessStartInfo("redis-cli") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(command))
        {
            info.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-cli");
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        var reply = await cli.StandardOutput.ReadToEndAsync(deadline.Token);
        await cli.WaitForExitAsync(deadline.Token);
        return reply.TrimEnd('\n');
    }

    /// <summary>
    /// Closes every pub/sub connection (<c>CLIENT KILL TYPE pubsub</c>), as a Redis that sheds
    /// subscribers over its output-buffer limit does; returns how many it closed.
    /// </summary>
    public async Task<int> KillPubSubClientsAsync() =>
        int.Parse(await RunAsync("CLIENT", "KILL", "TYPE", "pubsub"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Completes when a hang begun by <see cref="HangAsync"/> is over.</summary>
    public async Task WaitForHangToEndAsync()
    {
        if (_sleeper is { } sleeper)
        {
            await sleeper.WaitForExitAsync().WaitAsync(TestTimeouts.Default);
            sleeper.Dispose();
            _sleeper = null;
        }
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
