namespace Chat.Server.Sessions;

internal sealed partial class ChatSession
{
    // 1 once everything queued is written after the queue completed, or writing stopped for good.
    private int _drainFinished;

    // What the closing session waits on for that; made only by the close, so an idle session holds none.
    private TaskCompletionSource? _drained;
    private int _draining;
    private volatile bool _inReadBatch;

    /// <summary>
    /// Starts a drain unless one is running. The drain runs on the caller's thread until a flush
    /// has to wait, so an echo is written by the read loop that produced it, with no hand-off to
    /// another thread. Its end is observed through <see cref="SignalDrained"/>, never dropped: it catches
    /// everything it can meet.
    /// </summary>
    private void ScheduleDrain()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = DrainAsync();
        }
    }

    // After the handshake: the session already owns the writer, so it drains what was queued meanwhile.
    private void HandOverWriter() => _ = DrainAsync();

    // Writes everything queued into the socket, one flush per take, while it owns the writer.
    private async Task DrainAsync()
    {
        var output = _connection.Transport.Output;
        try
        {
            while (true)
            {
                var (frames, bytes) = _outbound.TakeInto(output);
                if (frames > 0)
                {
                    var flush = await output.FlushAsync();
                    Counters.Sent(frames, bytes);
                    ReleaseQueueWaiter(always: false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        StopWriting();
                        return;
                    }

                    continue;
                }

                // Empty: let go of the writer, then look again, or a frame queued in between would wait
                // forever. Exchange is a full fence: the look cannot be reordered before the release.
                Interlocked.Exchange(ref _draining, 0);
                if (!_outbound.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
                {
                    continue;
                }

                if (_outbound.IsCompleted && _outbound.IsEmpty)
                {
                    SignalDrained();
                }

                return;
            }
        }
        catch (Exception exception) when (ConnectionErrors.IsNormalEnd(exception))
        {
            // The peer went away while we wrote; the read loop records why.
            StopWriting();
        }
        catch (Exception exception)
        {
            // Nobody awaits a drain, so a fault here is logged and ends this connection alone.
            Log.SessionFailed(_logger, Id, exception);
            StopWriting();
            Abort(DisconnectReason.ServerError, "writing to the connection failed");
        }
    }

    // The socket is gone: nothing more can be written, and nobody should wait for it.
    private void StopWriting()
    {
        _outbound.Complete();
        SignalDrained();
        ReleaseQueueWaiter(always: true);
    }

    private void SignalDrained()
    {
        // Exchange is a full fence: either the waiter made below is seen here, or it sees the flag.
        Interlocked.Exchange(ref _drainFinished, 1);
        Volatile.Read(ref _drained)?.TrySetResult();
    }

    private Task WhenDrainedAsync()
    {
        if (Volatile.Read(ref _drainFinished) == 1)
        {
            return Task.CompletedTask;
        }

        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var drained = Interlocked.CompareExchange(ref _drained, created, null) ?? created;
        if (Volatile.Read(ref _drainFinished) == 1)
        {
            drained.TrySetResult();
        }

        return drained.Task;
    }

    // No more frames: write what is queued, then wait for it to reach the socket (bounded).
    private async Task FinishWritingAsync()
    {
        _outbound.Complete();
        ScheduleDrain();
        try
        {
            await WhenDrainedAsync().WaitAsync(CloseFlushTimeout, _settings.TimeProvider);
        }
        catch (TimeoutException)
        {
            _connection.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException("queued frames could not be written in time"));
        }
    }
}
