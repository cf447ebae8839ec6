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

    // The recipients of the batch of messages from other nodes this thread is delivering, if any.
    [ThreadStatic]
    private static List<ChatSession>? t_inboxBatch;
    [ThreadStatic]
    private static List<ChatSession>? t_inboxBatchSpare;

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

        DrainAll(recipients);
    }

    private static void DrainAll(List<ChatSession> recipients)
    {
        foreach (var recipient in recipients)
        {
            // Cleared before the drain starts: a delivery that still saw it set left its frame to this drain.
            Interlocked.Exchange(ref recipient._awaitingBatchDrain, 0);
            recipient.ScheduleDrain();
        }

        recipients.Clear();
    }

    /// <summary>
    /// Opens a batch of deliveries from other nodes on this thread (cluster mode): the users they
    /// reach are drained once, by <see cref="EndInboxBatch"/>, as a read loop's batch drains its
    /// recipients, so that messages arriving from Redis together leave in one write per user.
    /// </summary>
    public static void BeginInboxBatch() => t_inboxBatch = t_inboxBatchSpare ?? [];

    /// <summary>Ends this thread's batch of deliveries from other nodes and drains, once each, the users it reached.</summary>
    public static void EndInboxBatch()
    {
        if (t_inboxBatch is not { } recipients)
        {
            return;
        }

        t_inboxBatch = null;
        DrainAll(recipients);
        t_inboxBatchSpare = recipients;
    }

    // True when a batch on this thread (another session's routing, or deliveries from other
    // nodes) will drain this session at its end.
    private bool DeferDrainToRoutingBatch()
    {
        var batch = t_routingBatch;
        List<ChatSession>? recipients;
        if (batch is not null)
        {
            if (batch == this)
            {
                return false;
            }

            recipients = batch._batchRecipients ??= [];
        }
        else if (t_inboxBatch is { } inbox)
        {
            recipients = inbox;
        }
        else
        {
            return false;
        }

        // A session already waiting for some batch's end is drained then, with this frame too.
        if (Interlocked.Exchange(ref _awaitingBatchDrain, 1) == 0)
        {
            recipients.Add(this);
        }

        return true;
    }
}
