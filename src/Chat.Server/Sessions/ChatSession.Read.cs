using Chat.Protocol;

namespace Chat.Server.Sessions;

internal sealed partial class ChatSession
{
    // Reads frames until the client closes, the session is closed, or the client breaks the protocol.
    private async Task ReadLoopAsync()
    {
        var input = _connection.Transport.Input;
        var clock = _settings.TimeProvider;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            try
            {
                if (result.IsCanceled)
                {
                    return;
                }

                var before = buffer.Length;
                while (FrameReader.TryReadFrame(ref buffer, _settings.MaxFrameLength, out var body))
                {
                    var message = MessageDecoder.Parse(ChatMessage.Parser, body);
                    Counters.Received(before - buffer.Length, clock.GetTimestamp());
                    before = buffer.Length;
                    _hub.Route(this, message);
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }
}
