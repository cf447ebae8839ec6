using System.Net.Sockets;
using System.Text;

namespace Chat.Server.Admin;

/// <summary>
/// <c>chat-server admin</c>: the operator's console for a server that is already running, over its
/// admin socket (<see cref="AdminProtocol"/>). With a command it runs that one and exits; without,
/// it reads commands from standard input until it ends.
/// </summary>
internal sealed class RemoteConsole
{
    /// <summary>Exit code: every command ran.</summary>
    public const int Succeeded = 0;

    /// <summary>Exit code: the server answered that a command failed.</summary>
    public const int CommandFailed = 1;

    /// <summary>Exit code: the server could not be reached, or went away mid-reply.</summary>
    public const int Unreachable = 2;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly string _socketPath;
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    public RemoteConsole(string socketPath, TextWriter output, TextWriter error)
    {
        _socketPath = socketPath;
        _output = output;
        _error = error;
    }

    /// <summary>Runs <paramref name="commandLine"/>, or with none every line of <paramref name="input"/>.</summary>
    public async Task<int> RunAsync(string? commandLine, TextReader input, bool prompt)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            var why = !File.Exists(_socketPath) ? "there is no such socket file"
                : exception is SocketException socketError ? socketError.Message
                : "no answer in time";
            await _error.WriteLineAsync($"chat-server admin: cannot reach the server at {_socketPath}: {why} (is it running? --admin-socket names another path)");
            return Unreachable;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var replies = new StreamReader(stream, Encoding.UTF8);
        await using var requests = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        try
        {
            if (commandLine is not null)
            {
                return await AskAsync(commandLine, requests, replies) ? Succeeded : CommandFailed;
            }

            while (true)
            {
                if (prompt)
                {
                    await _error.WriteAsync("chat> ");
                }

                if (await input.ReadLineAsync() is not { } line)
                {
                    return Succeeded;
                }

                await AskAsync(line, requests, replies);
            }
        }
        catch (Exception exception) when (exception is IOException or EndOfStreamException)
        {
            await _error.WriteLineAsync($"chat-server admin: the server at {_socketPath} closed the connection");
            return Unreachable;
        }
    }

    // Sends one command and copies its reply out; true when the server says it ran.
    private async Task<bool> AskAsync(string commandLine, StreamWriter requests, StreamReader replies)
    {
        try
        {
            await requests.WriteLineAsync(commandLine.ReplaceLineEndings(" "));
        }
        catch (IOException)
        {
            // The server may have answered at once and closed (too many consoles are open): what it
            // said is still there to read, and says why. If nothing is, the read below tells.
        }

        var reply = new StringBuilder();
        while (await replies.ReadLineAsync() is { } line)
        {
            if (AdminProtocol.IsTerminator(line))
            {
                // One write for the whole reply, as the server's own console does.
                await _output.WriteAsync(reply.ToString());
                await _output.FlushAsync();
                return line == AdminProtocol.Success;
            }

            reply.Append(line).Append('\n');
        }

        throw new EndOfStreamException("the reply ended before its terminator");
    }
}
