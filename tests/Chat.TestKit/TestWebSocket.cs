using System.Net;
using System.Net.WebSockets;
using System.Text;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.TestKit;

/// <summary>
/// A WebSocket client for one test (PROTOCOL.md, "WebSocket"): <c>chat.v1</c> sends and reads binary
/// messages, <c>chat.v1.json</c> text ones; every wait has the default timeout.
/// </summary>
public sealed class TestWebSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly bool _json;

    private TestWebSocket(ClientWebSocket socket, bool json)
    {
        _socket = socket;
        _json = json;
    }

    public long Id { get; private set; }

    /// <summary>The subprotocol the server chose; null when it named none.</summary>
    public string? Subprotocol => _socket.SubProtocol;

    /// <summary>The close status the server sent, once the socket is closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Connects to <c>/ws</c>, asking for <paramref name="subprotocol"/> (none when null).</summary>
    public static Task<TestWebSocket> ConnectAsync(IPEndPoint httpEndPoint, string? subprotocol) =>
        ConnectAsync(httpEndPoint, subprotocol, trustedThumbprint: null);

    /// <summary>
    /// Connects to <c>/ws</c>; with <paramref name="trustedThumbprint"/>, over <c>wss://</c> to a
    /// server that must present exactly the certificate with that thumbprint.
    /// </summary>
    public static async Task<TestWebSocket> ConnectAsync(IPEndPoint httpEndPoint, string? subprotocol, string? trustedThumbprint)
    {
        var socket = new ClientWebSocket();
        if (subprotocol is not null)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        if (trustedThumbprint is not null)
        {
            socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == trustedThumbprint;
        }

        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        var scheme = trustedThumbprint is null ? "ws" : "wss";
        await socket.ConnectAsync(new Uri($"{scheme}://{httpEndPoint}/ws"), deadline.Token);
        return new TestWebSocket(socket, subprotocol == "chat.v1.json");
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

    /// <summary>The next message, parsed as <typeparamref name="T"/> from protobuf or JSON by the subprotocol.</summary>
    public async Task<T> ReceiveAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>, new()
    {
        var (type, bytes) = await ReceiveRawAsync()
            ?? throw new InvalidOperationException($"the server closed the WebSocket ({CloseStatus}) instead of sending a {typeof(T).Name}");
        if (_json)
        {
            if (type != WebSocketMessageType.Text)
            {
                throw new InvalidOperationException($"a {type} message on chat.v1.json");
            }

            return JsonParser.Default.Parse<T>(Encoding.UTF8.GetString(bytes));
        }

        return type == WebSocketMessageType.Binary ? parser.ParseFrom(bytes) : throw new InvalidOperationException($"a {type} message on chat.v1");
    }

    /// <summary>The next whole message, or null once the server has closed.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Bytes)?> ReceiveRawAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, deadline.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return (result.MessageType, message.ToArray());
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no WebSocket message arrived within {TestTimeouts.Default}");
        }
        catch (WebSocketException)
        {
            // Aborted without a close frame: an end, as far as a test is concerned.
            return null;
        }
    }

    /// <summary>Reads until the server closes; returns the server's messages before it and its close status.</summary>
    public async Task<(List<ChatMessage> Before, WebSocketCloseStatus? Status)> ExpectClosedAsync()
    {
        var before = new List<ChatMessage>();
        while (await ReceiveRawAsync() is { } message)
        {
            before.Add(_json ? JsonParser.Default.Parse<ChatMessage>(Encoding.UTF8.GetString(message.Bytes)) : ChatMessage.Parser.ParseFrom(message.Bytes));
        }

        return (before, CloseStatus);
    }

    public Task SendAsync(long to, string text) => SendAsync(new ChatMessage { To = to, Msg = text });

    public Task SendAsync(ChatMessage message) => _json
        ? SendRawAsync(Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message)), WebSocketMessageType.Text)
        : SendRawAsync(message.ToByteArray(), WebSocketMessageType.Binary);

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        await _socket.SendAsync(bytes, type, endOfMessage: true, deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The server is gone already; disposing is all that is left.
            }
        }

        _socket.Dispose();
    }
}
