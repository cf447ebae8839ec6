using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Chat.Protocol;
using Chat.Server.Sessions;
using Google.Protobuf;

namespace Chat.Server.Web;

internal sealed partial class WebSocketConnection
{
    // Each frame the session writes leaves as one WebSocket message, without its length prefix. The
    // first frame is always the handshake; its refusal, if any, decides the close status.
    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        var handshake = true;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                // Every message of what the session wrote since the last read leaves in one socket write.
                _batching?.BeginBatch();
                try
                {
                    // The server's own frames: no limit beyond the prefix's 32 bits.
                    while (FrameReader.TryReadFrame(ref buffer, int.MaxValue, out var body))
                    {
                        await SendAsync(body, handshake);
                        handshake = false;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (_batching is not null)
                {
                    await _batching.EndBatchAsync();
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException || ConnectionErrors.IsNormalEnd(exception))
        {
            // The client is gone: the session's next flush sees a completed reader and stops writing.
        }

        await reader.CompleteAsync();
    }

    private async ValueTask SendAsync(ReadOnlySequence<byte> body, bool handshake)
    {
        if (handshake)
        {
            Refusal = Handshake.Parser.ParseFrom(body).Refusal;
        }

        if (_format == WebSocketFormat.Json)
        {
            IMessage message = handshake ? Handshake.Parser.ParseFrom(body) : ChatMessage.Parser.ParseFrom(body);
            var text = Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message));
            await _socket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            return;
        }

        if (body.IsSingleSegment)
        {
            await _socket.SendAsync(body.First, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            return;
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(copy);
            await _socket.SendAsync(copy.AsMemory(0, (int)body.Length), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
