using Chat.Protocol;

namespace Chat.Server.Sessions;

internal sealed partial class ChatSession
{
    // Reads frames until the client closes, the session is closed, or the client breaks the protocol.
    // Over its message rate, or with its own queue past the high-water mark, the loop stops taking
    // frames for a while: the unread bytes push back through TCP to the sender, and nothing is
    // dropped or reordered.
    private async Task ReadLoopAsync()
    {
        var input = _connection.Transport.Input;
        var clock = _settings.TimeProvider;
        // Made at the first frame: an idle connection holds no bucket (it would be full by then anyway).
        TokenBucket? messageRate = null;
        var queueFull = false;
        while (true)
        {
            var result = await input.ReadAsync();
            var unread = result.Buffer;
            var throttle = TimeSpan.Zero;
            var batchOpened = false;
            try
            {
                if (result.IsCanceled)
                {
                    return;
                }

                var remaining = unread;
                _inReadBatch = true;
                // One reading of the clock for the whole batch: its frames arrived together, and
                // two readings per frame were 5% of the server's CPU at C = 100, P = 16.
                var now = clock.GetTimestamp();
                queueFull = false;

                // The gate makes each message all or nothing against a close: a close waits for the
                // batch, and the batch stops at the first frame after a close was decided, so a
                // message is either delivered and echoed, or neither (PROTOCOL.md, "Conversation" 3).
                using (_routeGate.EnterScope())
                {
                    batchOpened = BeginBatch();
                    while (!_routingStopped && FrameReader.TryReadFrame(ref remaining, _settings.MaxFrameLength, out var body))
                    {
                        if (IsOverHighWaterMark)
                        {
                            queueFull = true;
                            break;
                        }

                        throttle = (messageRate ??= _settings.CreateMessageRate())?.TryTake(now) ?? TimeSpan.Zero;
                        if (throttle > TimeSpan.Zero)
                        {
                            break;
                        }

                        _hub.Route(this, body);
                        Counters.Received(unread.Length - remaining.Length, now);
                        unread = remaining;
                    }
                }

                if (_routingStopped || (result.IsCompleted && throttle == TimeSpan.Zero && !queueFull))
                {
                    return;
                }
            }
            finally
            {
                EndBatch(batchOpened);
                _inReadBatch = false;

                // A full fence between clearing the flag and looking at the queue: a router that saw
                // the flag still set relies on this look to find what it queued.
                Interlocked.MemoryBarrier();
                if (!_outbound.IsEmpty)
                {
                    ScheduleDrain();
                }

                // When held back, nothing past the consumed frames counts as examined, so the next
                // read returns at once with the frames still waiting.
                input.AdvanceTo(unread.Start, throttle > TimeSpan.Zero || queueFull ? unread.Start : unread.End);
            }

            if (queueFull)
            {
                await WaitForQueueToDrainAsync();
                if (_outbound.IsCompleted)
                {
                    // Writing stopped (the client is gone): nothing more can be echoed, so nothing more is routed.
                    return;
                }
            }

            if (throttle > TimeSpan.Zero)
            {
                IsThrottled = true;
                // At least SessionSettings.MinThrottleWait: one wake-up a millisecond at most, for a batch.
                var wait = throttle > SessionSettings.MinThrottleWait ? throttle : SessionSettings.MinThrottleWait;
                await Task.Delay(wait, clock, ClosingToken);
                IsThrottled = false;
            }
        }
    }
}
