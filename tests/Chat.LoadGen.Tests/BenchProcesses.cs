using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Chat.TestKit;

namespace Chat.LoadGen.Tests;

/// <summary>A real chat-server process with its chat port and its HTTP listener (for /ws) on free ports.</summary>
public sealed partial class BenchServer : IAsyncDisposable
{
    private readonly ProgramProcess _process;

    private BenchServer(ProgramProcess process, IPEndPoint chat, IPEndPoint http)
    {
        _process = process;
        Chat = chat;
        Http = http;
    }

    public IPEndPoint Chat { get; }

    public IPEndPoint Http { get; }

    public int ProcessId => _process.ProcessId;

    /// <summary>Starts a server; <paramref name="extra"/> adds options (cluster mode, say).</summary>
    public static async Task<BenchServer> StartAsync(params string[] extra)
    {
        // Information would log every connection, and nobody reads the log while the server runs.
        var process = ProgramProcess.Start(
            "chat-server",
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
            ["--host", "127.0.0.1", "--port", "0", "--http-port", "0", "--admin-socket", string.Empty, "--shutdown-timeout", "1", .. extra]);
        try
        {
            var chat = await process.WaitForErrorAsync(line => line.StartsWith("chat-server listening on ", StringComparison.Ordinal));
            var http = await process.WaitForErrorAsync(line => line.StartsWith("chat-server chat page on ", StringComparison.Ordinal));
            return new BenchServer(process, PortIn(chat), PortIn(http));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    private static IPEndPoint PortIn(string line) =>
        new(IPAddress.Loopback, int.Parse(PortPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"127\.0\.0\.1:(\d+)")]
    private static partial Regex PortPattern();
}

/// <summary>Runs the real chat-bench and reads its result line.</summary>
public static class Bench
{
    public static async Task<BenchResult> RunAsync(params string[] arguments)
    {
        await using var process = ProgramProcess.Start("chat-bench", arguments);
        var output = process.ReadRemainingOutputAsync();
        var exitCode = await process.WaitForExitAsync();
        var text = await output;
        var line = text.Split('\n').LastOrDefault(line => line.StartsWith("result ", StringComparison.Ordinal));
        var fields = (line ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        return new BenchResult(exitCode, text, fields);
    }
}

public sealed record BenchResult(int ExitCode, string Output, IReadOnlyDictionary<string, string> Fields)
{
    public string this[string key] => Fields.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no {key} in:\n{Output}");

    public double Number(string key) => double.Parse(this[key], CultureInfo.InvariantCulture);

    /// <summary>Fails with the whole output unless the run ended with exit code 0 and no error.</summary>
    public void AssertClean()
    {
        Assert.True(ExitCode == 0 && this["errors"] == "0", $"exit code {ExitCode}:\n{Output}");
    }
}
