using System.Buffers;

namespace Chat.Server.Sessions;

internal sealed partial class ChatSession
{
    // Bytes written into the transport before one flush: large enough to batch every frame a burst
    // of routing produced into one send, small enough that a slow socket is noticed early.
    private const int FlushThreshold = 64 * 1024;

    // Drains the outbound queue into the socket, one flush per batch, until the queue completes.
    private async Task WriteLoopAsync()
    {
        var output = _connection.Transport.Output;
        var frames = _outbound.Reader;
        try
        {
            while (await frames.WaitToReadAsync())
            {
                long batchBytes = 0;
                long batchFrames = 0;
                while (batchBytes < FlushThreshold && frames.TryRead(out var frame))
                {
                    output.Write(frame);
                    batchBytes += frame.Length;
                    batchFrames++;
                }

                var flush = await output.FlushAsync();
                if (!_handshakeWritten)
                {
                    // Idle connections hold no timer: the watchdog goes once its one job is done.
                    _handshakeWritten = true;
                    _handshakeWatchdog?.Dispose();
                }

                _outbound.Flushed(batchBytes);
                Counters.Sent(batchFrames, batchBytes);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (ConnectionErrors.IsNormalEnd(exception))
        {
            // The peer went away while we wrote; the read loop records why.
        }
    }
}
