using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.TestKit;

/// <summary>
/// A raw connection for tests: sends frames or arbitrary bytes, receives frames with a deadline,
/// and proves the server closed the connection (modelled on Kestrel's test connection).
/// </summary>
public sealed class TestConnection : IAsyncDisposable
{
    // Frames the server sends may exceed the client limit by the stamped fields; tests accept more.
    private const int MaxIncomingFrameLength = 16 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;

    private TestConnection(Socket socket, Stream? stream = null)
    {
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
    }

    /// <summary>The id from the handshake, once <see cref="ReceiveHandshakeAsync"/> accepted it.</summary>
    public long Id { get; private set; }

    public Socket Socket => _socket;

    /// <summary>The certificate the server presented, for a TLS connection; null for a plain one.</summary>
    public X509Certificate2? ServerCertificate { get; private set; }

    /// <summary>The TLS version negotiated, for a TLS connection; None for a plain one.</summary>
    public SslProtocols TlsProtocol { get; private set; }

    public static async Task<TestConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await socket.ConnectAsync(endPoint, timeout.Token);
        return new TestConnection(socket);
    }

    /// <summary>
    /// Connects and completes a TLS handshake (TLS 1.2 or 1.3), accepting whatever certificate the
    /// server presents: the test then checks <see cref="ServerCertificate"/> itself.
    /// </summary>
    public static async Task<TestConnection> ConnectTlsAsync(IPEndPoint endPoint, string targetHost = "localhost", SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await socket.ConnectAsync(endPoint, timeout.Token);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = protocols,
#pragma warning disable CA5359 // Tests make their own certificates and check ServerCertificate themselves.
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        }, timeout.Token);
        var connection = new TestConnection(socket, tls);
        connection.ServerCertificate = tls.RemoteCertificate as X509Certificate2;
        connection.TlsProtocol = tls.SslProtocol;
        return connection;
    }

    public async Task<Handshake> ReceiveHandshakeAsync()
    {
        var handshake = await ReceiveAsync(Handshake.Parser);
        if (!handshake.Error)
        {
            Id = handshake.Id;
        }

        return handshake;
    }

    public Task<ChatMessage> ReceiveMessageAsync() => ReceiveAsync(ChatMessage.Parser);

    /// <summary>The next frame, parsed as <typeparamref name="T"/>; fails if none comes in time or the stream ends.</summary>
    public async Task<T> ReceiveAsync<T>(MessageParser<T> parser, TimeSpan? timeout = null)
        where T : class, IMessage<T>
    {
        var body = await ReceiveFrameAsync(timeout)
            ?? throw new InvalidOperationException($"the server closed the connection instead of sending a {typeof(T).Name}");
        return parser.ParseFrom(body);
    }

    /// <summary>The next frame's body, or null at the end of the stream.</summary>
    public async Task<byte[]?> ReceiveFrameAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                var examined = buffer.End;
                try
                {
                    if (FrameReader.TryReadFrame(ref buffer, MaxIncomingFrameLength, out var body))
                    {
                        examined = buffer.Start;
                        return body.ToArray();
                    }

                    if (result.IsCompleted)
                    {
                        return buffer.IsEmpty ? null : throw new InvalidOperationException("the stream ended inside a frame");
                    }
                }
                finally
                {
                    _reader.AdvanceTo(buffer.Start, examined);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no frame arrived within {timeout ?? TestTimeouts.Default}");
        }
        catch (IOException)
        {
            // A reset is an end of stream, as far as a test is concerned.
            return null;
        }
    }

    /// <summary>Reads until the server closes; returns the messages that came before the close.</summary>
    public async Task<List<ChatMessage>> ExpectClosedAsync(TimeSpan? timeout = null)
    {
        var before = new List<ChatMessage>();
        while (await ReceiveFrameAsync(timeout) is { } body)
        {
            before.Add(ChatMessage.Parser.ParseFrom(body));
        }

        return before;
    }

    public Task SendAsync(long to, string text, long from = 0) => SendAsync(new ChatMessage { From = from, To = to, Msg = text });

    public async Task SendAsync(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(buffer, message);
        await SendRawAsync(buffer.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        await _stream.WriteAsync(bytes, deadline.Token);
    }

    /// <summary>Sends a message to ourselves and waits for its echo: everything due before it has arrived.</summary>
    public async Task<List<ChatMessage>> BarrierAsync()
    {
        var marker = $"barrier-{Guid.NewGuid():N}";
        await SendAsync(Id, marker);
        var before = new List<ChatMessage>();
        while (true)
        {
            var message = await ReceiveMessageAsync();
            if (message.Msg == marker && message.From == Id)
            {
                return before;
            }

            before.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
