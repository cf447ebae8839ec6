using System.Globalization;
using System.Text;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Conform.Wire;

// What a check expects next on this connection, each failure said in a sentence a student understands.
internal sealed partial class ServerConnection
{
    // A flooding server must not keep a check reading forever, however fast it sends.
    private const int MaxFramesSkipped = 100_000;

    private static int _barriers;

    /// <summary>The first frame, read as a Handshake; anything else fails with what arrived and, where cheap, why.</summary>
    public async Task<Handshake> ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        var received = await ReceiveAsync(null, cancellationToken);
        switch (received.Kind)
        {
            case ReceivedKind.TimedOut when PendingBytes.IsEmpty:
                throw Fail($"after {Seconds(_timeout)}, no Handshake frame arrived on {Who}; the server must send it first, " +
                    "as soon as the client connects, before the client sends anything");
            case ReceivedKind.TimedOut:
                throw Fail($"after {Seconds(_timeout)}, only {PendingBytes.Length} bytes had arrived on {Who} " +
                    $"({Hex.Format(PendingBytes)}), not a whole Handshake frame");
            case ReceivedKind.Closed:
                throw Fail($"the server closed the connection of {Who} without sending a Handshake first");
            case ReceivedKind.Broken:
                throw Fail($"{Who} waited for the Handshake, but {received.Problem}");
        }

        try
        {
            return Handshake.Parser.ParseFrom(received.Body);
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or DecoderFallbackException)
        {
            throw Fail($"the first frame on {Who} ({Hex.Format(received.Body)}) does not parse as a Handshake ({exception.Message})");
        }
    }

    /// <summary>Reads the handshake and expects an acceptance with an id; the connection then knows its id.</summary>
    public async Task ExpectAcceptedAsync(CancellationToken cancellationToken)
    {
        var handshake = await ReadHandshakeAsync(cancellationToken);
        if (handshake.Error)
        {
            throw new CheckFailedException($"the server refused {Who} with {MessageText.Describe(handshake)}; " +
                "the checks need up to 3 users at once, so give the server room for them");
        }

        if (handshake.Id <= 0)
        {
            throw Fail($"the Handshake on {Who} accepts it (error = false) but gives it id {handshake.Id}; an accepted " +
                "connection gets an id > 0");
        }

        Id = handshake.Id;
    }

    /// <summary>The next frame, which must be a ChatMessage; <paramref name="what"/> names it in the failure.</summary>
    public async Task<ChatMessage> ExpectMessageAsync(string what, CancellationToken cancellationToken)
    {
        var received = await ReceiveAsync(null, cancellationToken);
        return received.Kind switch
        {
            ReceivedKind.Frame => ParseMessage(received.Body, what),
            ReceivedKind.TimedOut => throw new CheckFailedException($"after {Seconds(_timeout)}, {Who} got no {what}"),
            ReceivedKind.Closed => throw new CheckFailedException($"the server closed the connection of {Who} instead of sending {what}"),
            _ => throw new CheckFailedException($"{Who} waited for {what}, but {received.Problem}"),
        };
    }

    /// <summary>Reads frames until one matches; returns those before it. Fails on a close, a timeout or a flood.</summary>
    public async Task<List<ChatMessage>> ReadUntilAsync(Func<ChatMessage, bool> match, string what, CancellationToken cancellationToken)
    {
        var before = new List<ChatMessage>();
        while (before.Count < MaxFramesSkipped)
        {
            var message = await ExpectMessageAsync(what, cancellationToken);
            if (match(message))
            {
                return before;
            }

            before.Add(message);
        }

        throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
            $"{Who} got {MaxFramesSkipped:N0} other frames and still no {what}"));
    }

    /// <summary>
    /// Sends a message to nobody but ourselves and waits for its echo: whatever the server meant to
    /// send us before it has arrived by then. Returns those frames.
    /// </summary>
    public async Task<List<ChatMessage>> BarrierAsync(CancellationToken cancellationToken)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $"chat-conform barrier {Interlocked.Increment(ref _barriers)}");
        await SendAsync(new ChatMessage { To = 0, Msg = marker }, cancellationToken);
        return await ReadUntilAsync(message => message.Msg == marker, $"echo of its own message {MessageText.Quote(marker)}", cancellationToken);
    }

    /// <summary>
    /// Reads until the server closes the connection; true when it did within <paramref name="timeout"/>.
    /// <paramref name="before"/> holds what arrived first.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout, List<byte[]> before, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (before.Count < MaxFramesSkipped)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            var received = await ReceiveAsync(left, cancellationToken);
            switch (received.Kind)
            {
                case ReceivedKind.Frame:
                    before.Add(received.Body);
                    break;
                case ReceivedKind.TimedOut:
                    return false;
                default:
                    return true;
            }
        }

        return false;
    }

    public Task SendAsync(ChatMessage message, CancellationToken cancellationToken) =>
        SendRawAsync(FrameWriter.ToFrame(message), cancellationToken);

    public ChatMessage ParseMessage(byte[] body, string what)
    {
        try
        {
            return ChatMessage.Parser.ParseFrom(body);
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or DecoderFallbackException)
        {
            throw new CheckFailedException(
                $"{Who} expected {what} but got a frame that is not a ChatMessage ({Hex.Format(body)}: {exception.Message})");
        }
    }

    // A failure about the handshake, with a hint about the server's framing when its first bytes suggest one.
    private CheckFailedException Fail(string message)
    {
        var hint = FramingDiagnosis.Explain(FirstBytes);
        return new CheckFailedException(hint is null ? message : $"{message}. Hint: {hint}");
    }
}
