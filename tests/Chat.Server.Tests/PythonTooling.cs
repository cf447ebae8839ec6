using System.ComponentModel;
using System.Diagnostics;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// Finds what the Python client needs (a python3 with Google's protobuf module, and protoc), or
/// fails saying exactly which piece is missing and how to install it.
/// </summary>
internal static class PythonTooling
{
    public const string InstallHint =
        "Install them with: apt-get update && apt-get install -y python3 python3-protobuf protobuf-compiler " +
        "(./test.sh does this when run as root)";

    // Debian's own python3 first: a pyenv or virtualenv python3 earlier on PATH usually lacks the
    // protobuf module that python3-protobuf installs for Debian's interpreter.
    private static readonly string[] PythonCandidates = ["/usr/bin/python3", "python3"];

    public static string ClientScript => RepositoryRoot.Combine("examples", "python", "chat_client.py");

    /// <summary>The python3 to run the client with; throws with a plain explanation when the tools are missing.</summary>
    public static async Task<string> RequirePythonAsync()
    {
        var problems = new List<string>();
        string? python = null;
        foreach (var candidate in PythonCandidates)
        {
            var check = await TryRunAsync(candidate, "-c", "import google.protobuf");
            if (check is null)
            {
                problems.Add($"{candidate}: not found");
            }
            else if (check != 0)
            {
                problems.Add($"{candidate}: has no google.protobuf module (Debian package python3-protobuf)");
            }
            else
            {
                python = candidate;
                break;
            }
        }

        var protoc = await TryRunAsync("protoc", "--version");
        if (protoc != 0)
        {
            problems.Add("protoc: not found (Debian package protobuf-compiler)");
            python = null;
        }

        return python ?? throw new InvalidOperationException(
            $"The Python client test cannot run: {string.Join("; ", problems)}. {InstallHint}");
    }

    /// <summary>Starts the Python client against <paramref name="port"/> on 127.0.0.1.</summary>
    public static Task<ProgramProcess> StartClientAsync(int port) =>
        StartClientAsync("--host", "127.0.0.1", "--port", $"{port}");

    /// <summary>Starts the Python client with <paramref name="arguments"/>.</summary>
    public static async Task<ProgramProcess> StartClientAsync(params string[] arguments)
    {
        var python = await RequirePythonAsync();
        return ProgramProcess.StartCommand(python, Path.GetDirectoryName(ClientScript)!, [ClientScript, .. arguments]);
    }

    // The program's exit code, or null when it does not exist.
    private static async Task<int?> TryRunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (Win32Exception)
        {
            return null;
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            using var deadline = new CancellationTokenSource(TestTimeouts.Default);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.StandardOutput.ReadToEndAsync(deadline.Token);
            await error;
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode;
        }
    }
}
