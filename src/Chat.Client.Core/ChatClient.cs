using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Client;

/// <summary>
/// One connection to a chat server. <see cref="ConnectAsync"/> returns once the handshake accepted
/// it; <see cref="SendAsync"/> may be called from several tasks at once; incoming frames are read
/// by one reader at a time through <see cref="ReceiveAsync"/> or <see cref="ReadAllAsync"/>.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    /// <summary>The <c>to</c> that addresses every connected user.</summary>
    public const long Everyone = -1;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly int _maxIncomingFrameLength;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new();
    private int _disposed;
    private volatile bool _sendBroken;

    private ChatClient(Socket socket, Stream stream, int maxIncomingFrameLength)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _maxIncomingFrameLength = maxIncomingFrameLength;
    }

    /// <summary>The id the server assigned to this connection.</summary>
    public long Id { get; private set; }

    /// <summary>Connects and reads the handshake.</summary>
    /// <exception cref="ChatRefusedException">The server refused, with its reason and refusal code.</exception>
    /// <exception cref="ProtocolViolationException">
    /// The server broke the protocol: it closed before its handshake, sent a frame over the limit or
    /// one that is not a handshake, or a handshake that neither refuses nor assigns an id.
    /// </exception>
    /// <exception cref="SocketException">The connection could not be made.</exception>
    /// <exception cref="IOException">The connection failed while the handshake was on its way.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">
    /// <see cref="ChatClientOptions.UseTls"/> is set and the TLS handshake failed (a certificate not trusted, say).
    /// </exception>
    /// <exception cref="TimeoutException">No handshake within <see cref="ChatClientOptions.ConnectTimeout"/>.</exception>
    public static async Task<ChatClient> ConnectAsync(string host, int port, ChatClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ChatClientOptions();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            return await ConnectCoreAsync(host, port, options, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own deadline, not the caller's cancellation: say so, so callers can tell them apart.
            throw new TimeoutException($"no handshake from {host}:{port} within {options.ConnectTimeout.TotalSeconds:0.###} s");
        }
    }

    private static async Task<ChatClient> ConnectCoreAsync(string host, int port, ChatClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (options.UseTls)
        {
            try
            {
                stream = await ChatClientTls.AuthenticateAsync(stream, host, options, cancellationToken);
            }
            catch
            {
                await stream.DisposeAsync();
                socket.Dispose();
                throw;
            }
        }

        var client = new ChatClient(socket, stream, options.MaxIncomingFrameLength);
        try
        {
            var handshake = await client.ReadFrameAsync(Handshake.Parser, cancellationToken)
                ?? throw new ProtocolViolationException("the server closed the connection before its handshake");
            if (handshake.Error)
            {
                throw new ChatRefusedException(handshake.Refusal, handshake.Reason, TimeSpan.FromMilliseconds(handshake.RetryAfterMs));
            }

            // PROTOCOL.md, "The conversation, step by step" 2: accepted means an id above 0. A
            // handshake that neither refuses nor gives an id is no handshake the protocol has.
            if (handshake.Id <= 0)
            {
                throw new ProtocolViolationException($"the handshake neither refuses nor assigns an id (id {handshake.Id})");
            }

            client.Id = handshake.Id;
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one message: to a user id, to <see cref="Everyone"/>, or to 0 for an echo only.</summary>
    /// <remarks>
    /// A send cancelled before it began writes nothing. One cancelled (or failed) while its frame was
    /// going out may have left part of the frame on the wire, which cannot be taken back: the client
    /// then ends its side of the connection, and every later send throws <see cref="IOException"/>.
    /// </remarks>
    public async Task SendAsync(long to, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_sendBroken)
            {
                throw new IOException("the connection cannot send any more: an earlier send was cut off partway through its frame");
            }

            cancellationToken.ThrowIfCancellationRequested();
            _sendBuffer.ResetWrittenCount();
            FrameWriter.WriteFrame(_sendBuffer, new ChatMessage { To = to, Msg = text });
            try
            {
                await _stream.WriteAsync(_sendBuffer.WrittenMemory, cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
                // Bytes written after a partial frame would be read as the rest of it, and could even
                // parse as a message nobody sent. Stop writing for good; the server sees the end.
                _sendBroken = true;
                ShutdownSend();
                throw;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next incoming message, or null once the server closed the connection.</summary>
    /// <exception cref="ProtocolViolationException">
    /// The server sent a frame over <see cref="ChatClientOptions.MaxIncomingFrameLength"/> or one that
    /// is not a message, or closed in the middle of a frame. Nothing more can be read; dispose the client.
    /// </exception>
    /// <exception cref="IOException">The connection failed (reset by the peer, say).</exception>
    public ValueTask<ChatMessage?> ReceiveAsync(CancellationToken cancellationToken = default) =>
        ReadFrameAsync(ChatMessage.Parser, cancellationToken);

    /// <summary>Every incoming message, until the server closes the connection.</summary>
    /// <exception cref="ProtocolViolationException">As for <see cref="ReceiveAsync"/>.</exception>
    /// <exception cref="IOException">As for <see cref="ReceiveAsync"/>.</exception>
    public async IAsyncEnumerable<ChatMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReceiveAsync(cancellationToken) is { } message)
        {
            yield return message;
        }
    }

    /// <summary>Says goodbye: stops sending, then closes. Disposing twice is harmless.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ShutdownSend();

        // Closing the socket first ends a read that another task may have pending.
        _socket.Dispose();
        await _stream.DisposeAsync();
        await _reader.CompleteAsync();
    }

    private void ShutdownSend()
    {
        try
        {
            if (_socket.Connected)
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already reset by the peer, or disposed: nothing left to say goodbye to.
        }
    }

    private async ValueTask<T?> ReadFrameAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var examined = buffer.End;
            try
            {
                if (FrameReader.TryReadFrame(ref buffer, _maxIncomingFrameLength, out var body))
                {
                    // More whole frames may follow: mark only this one examined, or the next read would wait.
                    examined = buffer.Start;
                    return MessageDecoder.Parse(parser, body);
                }

                if (result.IsCompleted)
                {
                    return buffer.IsEmpty
                        ? null
                        : throw new ProtocolViolationException("the connection closed in the middle of a frame");
                }
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start, examined);
            }
        }
    }
}
