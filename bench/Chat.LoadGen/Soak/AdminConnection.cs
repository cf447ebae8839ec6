using System.Net.Sockets;
using System.Text;

namespace Chat.LoadGen.Soak;

/// <summary>
/// A client of the server's admin socket, speaking its line protocol as <c>chat-server admin</c> does
/// (docs/OPERATIONS.md, "The line protocol"): one command line, then the reply's lines up to a
/// terminator line of NUL and <c>ok</c> or <c>error</c>. One command at a time.
/// </summary>
internal sealed class AdminConnection : IAsyncDisposable
{
    private const string Success = "\0ok";

    // Linux getsockopt(SOL_SOCKET, SO_PEERCRED): the peer's pid, uid and gid as three 32-bit integers.
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _replies;
    private readonly StreamWriter _requests;

    private AdminConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _replies = new StreamReader(_stream, Encoding.UTF8);
        _requests = new StreamWriter(_stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
    }

    public static async Task<AdminConnection> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new AdminConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The process id of the server at the other end (Linux), or null when the system does not say.</summary>
    public int? PeerProcessId()
    {
        try
        {
            var credentials = new byte[12];
            return _socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) == credentials.Length
                ? BitConverter.ToInt32(credentials, 0)
                : null;
        }
        catch (Exception exception) when (exception is SocketException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Runs one command; returns its reply, or throws <see cref="IOException"/> when it failed or the server went away.</summary>
    public async Task<string> AskAsync(string command, CancellationToken cancellationToken)
    {
        await _requests.WriteLineAsync(command.AsMemory(), cancellationToken);
        var reply = new StringBuilder();
        while (await _replies.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith('\0'))
            {
                return line == Success ? reply.ToString() : throw new IOException($"'{command}' failed: {reply.ToString().Trim()}");
            }

            reply.Append(line).Append('\n');
        }

        throw new IOException($"the admin socket closed during the reply to '{command}'");
    }

    public async ValueTask DisposeAsync()
    {
        _replies.Dispose();
        await _requests.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
