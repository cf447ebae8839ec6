using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Chat.Protocol;
using Chat.Server.Sessions;
using Google.Protobuf;

namespace Chat.Server.Web;

internal sealed partial class WebSocketConnection
{
    // Unknown fields are ignored, as they are in a binary message (PROTOCOL.md, "Transport and framing").
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    // A batch handed over at once stays within what the input pipe lets through before it pushes back.
    private const int MaxUnflushedBytes = 32 * 1024;

    // Each message the client sends becomes one length-delimited frame for the session to read. A
    // message over the limit is refused as it arrives, before more than the limit is held; the
    // session then sees a protocol violation, and the close status says which one.
    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        var message = new ArrayBufferWriter<byte>();
        Exception? end = null;
        try
        {
            while (true)
            {
                // Messages the WebSocket already holds are handed to the session together, with
                // one flush, as bytes from one socket read are: a pipelining client is then served
                // in batches (one route, one write for many echoes), not message by message.
                var next = ReceiveMessageAsync(message);
                var sessionGone = false;
                if ((!next.IsCompleted && writer.UnflushedBytes > 0) || writer.UnflushedBytes > MaxUnflushedBytes)
                {
                    sessionGone = (await writer.FlushAsync()).IsCompleted;
                }

                if (!await next || sessionGone)
                {
                    break;
                }

                WriteFrame(writer, message.WrittenSpan);
                message.ResetWrittenCount();
            }

            await writer.FlushAsync();
        }
        catch (WebSocketViolationException violation)
        {
            Violation = violation.Status;
            ViolationReason = violation.Message;
            end = new ProtocolViolationException(violation.Message);
        }
        catch (Exception exception) when (exception is WebSocketException || ConnectionErrors.IsNormalEnd(exception))
        {
            // The client went away or the connection was aborted: the session's input simply ends.
        }

        await writer.CompleteAsync(end);
    }

    // Reads one whole message into `message`; false when the client closed.
    private async ValueTask<bool> ReceiveMessageAsync(ArrayBufferWriter<byte> message)
    {
        var expected = _format == WebSocketFormat.Json ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
        while (true)
        {
            // At most one byte past the limit is asked for, so an oversized message is known as
            // soon as it is, and never held whole.
            var room = Math.Min(4096, _maxMessageLength + 1 - message.WrittenCount);
            var result = await _socket.ReceiveAsync(message.GetMemory(room)[..room], CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }

            if (result.MessageType != expected)
            {
                throw new WebSocketViolationException(WebSocketCloseStatus.PolicyViolation,
                    $"a {result.MessageType.ToString().ToLowerInvariant()} message on {(_format == WebSocketFormat.Json ? WebSocketSubprotocols.Json : WebSocketSubprotocols.Binary)}");
            }

            message.Advance(result.Count);
            if (message.WrittenCount > _maxMessageLength)
            {
                throw new WebSocketViolationException(WebSocketCloseStatus.MessageTooBig,
                    $"a WebSocket message over the limit of {_maxMessageLength} bytes");
            }

            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }

    private void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> body)
    {
        if (_format == WebSocketFormat.Binary)
        {
            FrameWriter.WritePrefix(writer, body.Length);
            writer.Write(body);
            return;
        }

        ChatMessage parsed;
        try
        {
            parsed = Json.Parse<ChatMessage>(Encoding.UTF8.GetString(body));
        }
        catch (Exception exception) when (exception is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            throw new WebSocketViolationException(WebSocketCloseStatus.PolicyViolation, $"invalid JSON: {exception.Message}");
        }

        FrameWriter.WriteFrame(writer, parsed);
    }
}
