using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;

namespace Chat.TestKit;

/// <summary>
/// A raw connection to a server's admin socket: sends any bytes, reads reply lines with a deadline,
/// and proves the server closed the connection. It reads only when a test asks it to, so a test can
/// play a console that never reads.
/// </summary>
public sealed class AdminTestConnection : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly CancellationTokenSource _disposed = new();

    private AdminTestConnection(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
    }

    /// <summary>Bytes read from the server so far, terminators and all.</summary>
    public long BytesRead { get; private set; }

    public static async Task<AdminTestConnection> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token);
        return new AdminTestConnection(socket);
    }

    public Task SendLineAsync(string line) => SendAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        await _stream.WriteAsync(bytes, deadline.Token);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> without a deadline, for a console that floods the server and
    /// never reads: the write may wait for good once the server stops reading. It ends when the
    /// connection does, or when this connection is disposed.
    /// </summary>
    public Task FloodAsync(ReadOnlyMemory<byte> bytes) => FloodCoreAsync(bytes);

    /// <summary>The next line without its <c>\n</c>, or null once the server closed the connection.</summary>
    public Task<string?> ReadLineAsync() => ReadLineAsync(partialEnd: false);

    /// <summary>
    /// Reads until the server closes the connection; returns the whole lines that came before. An
    /// aborted connection may end inside a line; that last part is counted in <see cref="BytesRead"/> only.
    /// </summary>
    public async Task<List<string>> ExpectClosedAsync()
    {
        var before = new List<string>();
        while (await ReadLineAsync(partialEnd: true) is { } line)
        {
            before.Add(line);
        }

        return before;
    }

    /// <summary>One reply: its lines, then whether its terminator said the command ran.</summary>
    public async Task<(List<string> Lines, bool Succeeded)> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            if (line.StartsWith('\0'))
            {
                return (lines, line == "\0ok");
            }

            lines.Add(line);
        }

        throw new InvalidOperationException($"the connection closed before the reply's terminator; got: {string.Join(" | ", lines)}");
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _disposed.Dispose();
    }

    private async Task<string?> ReadLineAsync(bool partialEnd)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                if (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = Encoding.UTF8.GetString(buffer.Slice(0, end));
                    var next = buffer.GetPosition(1, end);
                    BytesRead += buffer.Slice(0, next).Length;
                    _reader.AdvanceTo(next);
                    return line;
                }

                if (result.IsCompleted)
                {
                    BytesRead += buffer.Length;
                    _reader.AdvanceTo(buffer.End);
                    return buffer.IsEmpty || partialEnd ? null : throw new InvalidOperationException("the stream ended inside a line");
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no line arrived within {TestTimeouts.Default}");
        }
        catch (IOException)
        {
            // A reset is an end of stream, as far as a test is concerned.
            return null;
        }
    }

    private async Task FloodCoreAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes, _disposed.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server closed the connection, or the test is over.
        }
    }
}
