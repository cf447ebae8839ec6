namespace Chat.Server.Sessions;

/// <summary>
/// Deliveries made while a read loop routes a batch are flushed once, at the end of the batch, for
/// every recipient alike, as the sender's own echoes are. Draining each recipient at every frame
/// instead cost a flush and a socket write per message for them while the sender's echoes went out
/// in batches, so a recipient who kept up fell behind a fast sender and was cut off as a slow
/// consumer (measured, with its socket empty and its queue full).
/// </summary>
internal sealed partial class ChatSession
{
    // The session whose batch this thread is routing; the routing between begin and end never awaits.
    [ThreadStatic]
    private static ChatSession? t_routingBatch;

    // The recipients this session's current batch reached; made on first use, reused after.
    private List<ChatSession>? _batchRecipients;

    // 1 while this session waits in some batch's list for the drain at the batch's end.
    private int _awaitingBatchDrain;

    private void BeginRoutingBatch() => t_routingBatch = this;

    // Drains, once each, the recipients the batch reached.
    private void EndRoutingBatch()
    {
        t_routingBatch = null;
        if (_batchRecipients is not { Count: > 0 } recipients)
        {
            return;
        }

        foreach (var recipient in recipients)
        {
            // Cleared before the drain starts: a delivery that still saw it set left its frame to this drain.
            Interlocked.Exchange(ref recipient._awaitingBatchDrain, 0);
            recipient.ScheduleDrain();
        }

        recipients.Clear();
    }

    // True when another session's batch, routing on this thread, will drain this session at its end.
    private bool DeferDrainToRoutingBatch()
    {
        var batch = t_routingBatch;
        if (batch is null || batch == this)
        {
            return false;
        }

        // A session already waiting for some batch's end is drained then, with this frame too.
        if (Interlocked.Exchange(ref _awaitingBatchDrain, 1) == 0)
        {
            (batch._batchRecipients ??= []).Add(this);
        }

        return true;
    }
}
