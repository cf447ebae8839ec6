using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Chat.Protocol;

namespace Chat.Conform.Wire;

/// <summary>
/// One connection to the server under test. Every wait has a deadline and every way the server can
/// misbehave (silence, garbage, a close, an absurd announced length, a flood) comes back as a
/// <see cref="Received"/> instead of a hang or an exception, so a check can say what it saw.
/// </summary>
internal sealed partial class ServerConnection : IAsyncDisposable
{
    // Kept for diagnosing the server's framing when its first frame is wrong.
    private const int FirstBytesKept = 32;

    private readonly Socket _socket;
    private readonly int _maxIncomingBody;
    private readonly TimeSpan _timeout;
    private readonly List<byte> _firstBytes = [];
    private byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;
    private bool _ended;

    private ServerConnection(Socket socket, string name, int maxIncomingBody, TimeSpan timeout)
    {
        _socket = socket;
        Name = name;
        _maxIncomingBody = maxIncomingBody;
        _timeout = timeout;
    }

    /// <summary>Who this is in a sentence: "user A", or "user A (id 3)" once accepted.</summary>
    public string Who => Id > 0 ? $"{Name} (id {Id})" : Name;

    public string Name { get; }

    /// <summary>The id from an accepted handshake; 0 before.</summary>
    public long Id { get; set; }

    /// <summary>How long a reply may take before the check calls it missing.</summary>
    public TimeSpan Timeout => _timeout;

    /// <summary>The first bytes the server ever sent on this connection.</summary>
    public ReadOnlySpan<byte> FirstBytes => _firstBytes.ToArray();

    /// <summary>Bytes received but not yet taken as a frame (a partial frame, after a timeout).</summary>
    public ReadOnlySpan<byte> PendingBytes => _buffer.AsSpan(_start, _end - _start);

    /// <summary>
    /// Connects within the deadline; a refusal or timeout becomes a failure in plain words.
    /// <paramref name="receiveBufferSize"/> makes the socket buffer small, for a client that plays a slow reader.
    /// </summary>
    public static async Task<ServerConnection> ConnectAsync(
        IPEndPoint endPoint, string name, int maxIncomingBody, TimeSpan timeout, int? receiveBufferSize, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            // Before connecting, so that the window the kernel offers is small from the start.
            socket.ReceiveBufferSize = size;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            return new ServerConnection(socket, name, maxIncomingBody, timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new CheckFailedException($"{name} could not connect to {endPoint} within {Seconds(timeout)}");
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new CheckFailedException($"{name} could not connect to {endPoint}: {exception.Message}");
        }
    }

    /// <summary>The next frame from the server, or why none came within <paramref name="timeout"/>.</summary>
    public async Task<Received> ReceiveAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? _timeout);
        while (true)
        {
            var unread = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            try
            {
                if (FrameReader.TryReadFrame(ref unread, _maxIncomingBody, out var body))
                {
                    var frame = body.ToArray();
                    _start = _end - (int)unread.Length;
                    return Received.Frame(frame);
                }
            }
            catch (Chat.Protocol.ProtocolViolationException exception)
            {
                return Received.Broken(DescribeBadPrefix(exception.Message));
            }

            if (_ended)
            {
                return _end == _start ? Received.Closed : Received.Broken(
                    $"the connection ended in the middle of a frame ({_end - _start} bytes of it had arrived: {Hex.Format(PendingBytes, 16)})");
            }

            MakeRoom();
            try
            {
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, deadline.Token);
                Keep(_buffer.AsSpan(_end, read));
                _end += read;
                _ended = read == 0;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Received.TimedOut;
            }
            catch (SocketException)
            {
                // A reset is an end of the stream, as far as a client can tell.
                _ended = true;
            }
        }
    }

    /// <summary>Sends bytes within the deadline; a server that stops reading or has closed becomes a failure.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var allowed = timeout ?? _timeout + _timeout;
        deadline.CancelAfter(allowed);
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await _socket.SendAsync(bytes, SocketFlags.None, deadline.Token);
                bytes = bytes[sent..];
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CheckFailedException(
                $"the server stopped reading from {Who}: {bytes.Length} bytes were still unsent after {Seconds(allowed)}");
        }
        catch (SocketException exception)
        {
            throw new CheckFailedException($"the server closed the connection of {Who} while it was sending ({exception.SocketErrorCode})");
        }
    }

    /// <summary>Ends our sending side, as a client that has said all it will does.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already gone: nothing left to end.
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>"2 s", "0.5 s": a duration as a student reads it.</summary>
    public static string Seconds(TimeSpan duration) =>
        FormattableString.Invariant($"{duration.TotalSeconds:0.#} s");

    // The frame reader's words are for a server; say them from the client's side.
    private string DescribeBadPrefix(string violation) =>
        $"the server sent a length prefix this protocol forbids ({violation}; a server may send frames up to " +
        $"{_maxIncomingBody:N0} bytes here): {Hex.Format(PendingBytes, 16)}";

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // Bounded: the frame reader has already checked the announced length against the limit.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        for (var index = 0; index < bytes.Length && _firstBytes.Count < FirstBytesKept; index++)
        {
            _firstBytes.Add(bytes[index]);
        }
    }
}
