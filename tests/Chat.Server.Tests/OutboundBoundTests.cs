using System.Collections.Concurrent;
using Chat.Protocol;
using Chat.Server.Sessions;

namespace Chat.Server.Tests;

/// <summary>
/// What the server holds for a client that stops reading: its queue's bound, plus at most one
/// frame, plus the transport's output buffer (PROTOCOL.md, "Conversation" 5), never the bound twice.
/// </summary>
public class OutboundBoundTests
{
    private const long Bound = 1024 * 1024;

    // Kestrel's default output buffer: writers pause at 64 KiB (SocketTransportOptions.MaxWriteBufferSize).
    private const long OutputBuffer = 64 * 1024;

    // What the drain hands the output at a time: one of the queue's 16 KiB buffers.
    private const long TakeSize = 16 * 1024;

    [Theory]
    [InlineData(1_000)]
    [InlineData(60_000)]
    public async Task StalledClientNeverHoldsMoreThanTheBoundPlusOneFrameAndTheOutputBuffer(int messageLength)
    {
        await using var stalled = new PipedSession(new RoutingHub(), "stalled", new ConcurrentQueue<string>(), Bound);
        var frame = FrameWriter.ToFrame(new ChatMessage { From = 9, To = 1, Msg = new string('s', messageLength) });
        long mostHeld = 0;
        var delivered = 0;

        // Deliveries from others, as routers make them, until half the bound waits; then the client
        // reads what reached it once, which lets the drain move on, and stops reading for good.
        while (stalled.Session.QueuedBytes < Bound / 2 && stalled.Session.Deliver(frame))
        {
            delivered++;
        }

        ReadOnce(stalled);
        while (stalled.Session.Deliver(frame))
        {
            delivered++;
            mostHeld = Math.Max(mostHeld, stalled.Session.QueuedBytes + Buffered(stalled));
        }

        Assert.Equal(DisconnectReason.SlowConsumer, stalled.Session.CloseReason);
        Assert.True(delivered * frame.Length > Bound, $"only {delivered} frames were taken before the disconnect");
        // The output passes its pause mark by what the flush that crosses it adds (one queued buffer
        // of 16 KiB, or a larger frame's own), and by one more when the reader's call resumes a flush.
        var allowed = Bound + frame.Length + OutputBuffer + (2 * Math.Max(TakeSize, frame.Length));
        Assert.True(mostHeld <= allowed, $"held {mostHeld} bytes for a client that reads nothing; allowed {allowed}");
        // The client goes away, so the stalled drain ends at once rather than at its close timeout.
        await stalled.ToClient.CompleteAsync();
    }

    private static void ReadOnce(PipedSession session)
    {
        Assert.True(session.ToClient.TryRead(out var result));
        session.ToClient.AdvanceTo(result.Buffer.End);
    }

    // Bytes written to the client's pipe and not read by it.
    private static long Buffered(PipedSession session)
    {
        if (!session.ToClient.TryRead(out var result))
        {
            return 0;
        }

        session.ToClient.AdvanceTo(result.Buffer.Start);
        return result.Buffer.Length;
    }
}
