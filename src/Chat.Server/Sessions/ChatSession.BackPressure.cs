namespace Chat.Server.Sessions;

/// <summary>
/// A client's own echoes slow it down instead of making it a slow consumer (PROTOCOL.md,
/// "Conversation" 5): once its queue passes the high-water mark, the read loop takes no more
/// frames until the drain has brought the queue under the low-water mark. The unread bytes push
/// back through TCP on the sender, and nothing it sent is dropped or reordered.
/// </summary>
internal sealed partial class ChatSession
{
    // Set by a read loop waiting for its queue to drain; completed by the drain (or the end of writing).
    private TaskCompletionSource? _queueDrained;

    // An eighth of the bound: a sender is held to the pace at which it reads, and the users it
    // broadcasts to, who read at about that pace, keep seven eighths of their bound as headroom
    // for differences in socket buffers and scheduling. Past the mark, what one batch adds is at
    // most one frame's echo.
    private long HighWaterMark => _settings.MaxQueuedBytes / 8;

    private long LowWaterMark => _settings.MaxQueuedBytes / 16;

    private bool IsOverHighWaterMark => _outbound.QueuedBytes > HighWaterMark;

    // Waits until the queue is under the low-water mark, the client has gone, or the session closes.
    private async Task WaitForQueueToDrainAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Exchange is a full fence: either this look sees the drain's progress, or the drain sees the waiter.
        Interlocked.Exchange(ref _queueDrained, drained);
        if (_outbound.QueuedBytes > LowWaterMark && !_outbound.IsCompleted)
        {
            await drained.Task.WaitAsync(ClosingToken);
        }

        Interlocked.CompareExchange(ref _queueDrained, null, drained);
    }

    // Called by the drain after each flush, and when writing stops for good.
    private void ReleaseQueueWaiter(bool always)
    {
        if (Volatile.Read(ref _queueDrained) is { } drained && (always || _outbound.QueuedBytes <= LowWaterMark))
        {
            drained.TrySetResult();
        }
    }
}
