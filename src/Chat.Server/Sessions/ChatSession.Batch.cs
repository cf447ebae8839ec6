namespace Chat.Server.Sessions;

/// <summary>
/// Deliveries made while a batch is routed on a thread (a read loop's frames, or messages that
/// arrived from other nodes together) are flushed once, at the end of the batch, for every
/// recipient alike, as the sender's own echoes are. Draining each recipient at every frame
/// instead cost a flush and a socket write per message for them while the sender's echoes went out
/// in batches, so a recipient who kept up fell behind a fast sender and was cut off as a slow
/// consumer (measured, with its socket empty and its queue full). The recipients are listed per
/// thread, not per sender, so a session that once broadcast holds no list sized to every user.
/// </summary>
internal sealed partial class ChatSession
{
    // The recipients of the batch open on this thread, if one is; the routing between its begin
    // and end never awaits. The spare is the last one's list, kept for the next.
    [ThreadStatic]
    private static List<ChatSession>? t_batch;
    [ThreadStatic]
    private static List<ChatSession>? t_batchSpare;

    // 1 while this session waits in some batch's list for the drain at the batch's end.
    private int _awaitingBatchDrain;

    /// <summary>
    /// Opens a batch on this thread: the sessions its deliveries reach are drained once, by
    /// <see cref="EndBatch"/>. A read loop opens one for each read; the cluster's inbox for
    /// messages that arrived from other nodes together, so that they leave in one write per user.
    /// False when a batch is open already, which then takes these deliveries too.
    /// </summary>
    public static bool BeginBatch()
    {
        if (t_batch is not null)
        {
            return false;
        }

        t_batch = t_batchSpare ?? [];
        t_batchSpare = null;
        return true;
    }

    /// <summary>Ends the batch <see cref="BeginBatch"/> opened (when it did) and drains, once each, the sessions it reached.</summary>
    public static void EndBatch(bool opened)
    {
        if (!opened || t_batch is not { } recipients)
        {
            return;
        }

        t_batch = null;
        foreach (var recipient in recipients)
        {
            // Cleared before the drain starts: a delivery that still saw it set left its frame to this drain.
            Interlocked.Exchange(ref recipient._awaitingBatchDrain, 0);
            recipient.ScheduleDrain();
        }

        recipients.Clear();
        t_batchSpare = recipients;
    }

    // True when a batch open on this thread will drain this session at its end.
    private bool DeferDrainToBatch()
    {
        if (t_batch is not { } recipients)
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
