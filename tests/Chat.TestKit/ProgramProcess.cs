using System.Diagnostics;

namespace Chat.TestKit;

/// <summary>
/// One of the project's real programs (chat-server, chat-client) run as a child process, with its
/// standard streams in the test's hands. Every wait has a deadline.
/// </summary>
public sealed class ProgramProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _adminSocketPath;

    private ProgramProcess(Process process, string adminSocketPath)
    {
        _process = process;
        _adminSocketPath = adminSocketPath;
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts <paramref name="program"/> (its assembly sits beside the tests) with <paramref name="arguments"/>.</summary>
    public static ProgramProcess Start(string program, params string[] arguments) =>
        Start(program, new Dictionary<string, string>(), arguments);

    /// <summary>Starts <paramref name="program"/> with extra <paramref name="environment"/> variables.</summary>
    public static ProgramProcess Start(string program, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartCommand("dotnet", AppContext.BaseDirectory, environment, [Path.Combine(AppContext.BaseDirectory, program + ".dll"), .. arguments]);

    /// <summary>Starts <paramref name="program"/> from a copy of it in <paramref name="directory"/> (with its own appsettings.json, say).</summary>
    public static ProgramProcess StartFrom(string directory, string program, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartCommand("dotnet", directory, environment, [Path.Combine(directory, program + ".dll"), .. arguments]);

    /// <summary>Copies the programs beside the tests into a new temporary folder, for <see cref="StartFrom"/>.</summary>
    public static string CopyProgramsToTempFolder()
    {
        var directory = Directory.CreateTempSubdirectory("chat-programs-").FullName;
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        return directory;
    }

    /// <summary>Starts any executable (another language's client, say) in <paramref name="workingDirectory"/>.</summary>
    public static ProgramProcess StartCommand(string executable, string workingDirectory, params string[] arguments) =>
        StartCommand(executable, workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>Starts any executable in <paramref name="workingDirectory"/> with extra <paramref name="environment"/> variables.</summary>
    public static ProgramProcess StartCommand(string executable, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        // A server's default admin socket is one per user; each process gets its own instead, so
        // that servers in parallel tests never meet. The caller's environment and --admin-socket win.
        var adminSocketPath = TempSocketPath();
        info.Environment["Chat__AdminSocketPath"] = adminSocketPath;

        // Likewise no server opens the default HTTP port 8080, which parallel tests would share;
        // a test that wants the listener passes --http-port.
        info.Environment["Chat__HttpPort"] = "-1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ProgramProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}"), adminSocketPath);
    }

    /// <summary>A fresh path for an admin socket, short enough for a Unix socket address.</summary>
    public static string TempSocketPath() => Path.Combine(Path.GetTempPath(), $"chat-{Guid.NewGuid():N}.sock");

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Ends standard input, as a closed terminal or a finished pipe does.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The next line on standard output; fails on timeout or end of output.</summary>
    public Task<string> ReadOutputLineAsync() => ReadLineAsync(_process.StandardOutput, "standard output");

    /// <summary>Reads standard output until a line matches; returns it.</summary>
    public Task<string> WaitForOutputAsync(Func<string, bool> match) => WaitForLineAsync(_process.StandardOutput, "standard output", match);

    /// <summary>Reads standard error (the log) until a line matches; returns it.</summary>
    public Task<string> WaitForErrorAsync(Func<string, bool> match) => WaitForLineAsync(_process.StandardError, "standard error", match);

    /// <summary>Everything left on standard output, once the process has ended.</summary>
    public Task<string> ReadRemainingOutputAsync() => _process.StandardOutput.ReadToEndAsync();

    /// <summary>Everything left on standard error, once the process has ended.</summary>
    public async Task<string> ReadRemainingErrorAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        return await _process.StandardError.ReadToEndAsync(deadline.Token);
    }

    public async Task<int> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the process did not exit in time");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal, as a terminal's Ctrl+C or a service manager's stop does.</summary>
    public void Signal(int signalNumber)
    {
        using var kill = Process.Start("kill", $"-{signalNumber} {_process.Id}");
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        // A killed server leaves its socket file behind.
        File.Delete(_adminSocketPath);
    }

    private static async Task<string> WaitForLineAsync(StreamReader reader, string name, Func<string, bool> match)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        var seen = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (match(line))
                {
                    return line;
                }

                seen.Add(line);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching line on {name} in time; saw:\n{string.Join('\n', seen)}");
        }

        throw new InvalidOperationException($"{name} ended without a matching line; saw:\n{string.Join('\n', seen)}");
    }

    private static async Task<string> ReadLineAsync(StreamReader reader, string name)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            return await reader.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException($"{name} ended");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line on {name} in time");
        }
    }
}
