namespace Chat.Cluster.Redis;

/// <summary>
/// What other nodes ask of this one, implemented by the hub. Calls come one at a time, in the order
/// each node sent them, on the subscription's own sequential handler; none may block.
/// </summary>
public interface IClusterInbox
{
    /// <summary>
    /// Opens a batch: what the calls until <see cref="EndBatch"/> queue for local users is sent once,
    /// at its end, so that many messages from Redis share each user's socket write.
    /// </summary>
    void BeginBatch();

    /// <summary>Ends the batch <see cref="BeginBatch"/> opened on this thread: every user it reached is sent what it queued.</summary>
    void EndBatch();

    /// <summary>Queues a stamped frame for local user <paramref name="recipient"/>; false when no such user is here.</summary>
    bool DeliverTo(long recipient, ReadOnlySpan<byte> frame);

    /// <summary>Queues a stamped broadcast frame for every local user.</summary>
    void DeliverToAll(ReadOnlySpan<byte> frame);

    /// <summary>Closes local user <paramref name="id"/> with <paramref name="notice"/>, as the operator's kick does.</summary>
    void Kick(long id, string notice);

    /// <summary>Sends a notice from 0 to every local user.</summary>
    void Announce(string text);

    /// <summary>Sends a notice from 0 to local user <paramref name="recipient"/>.</summary>
    void Notice(long recipient, string text);

    /// <summary>The users connected here now, to republish after a reconnect.</summary>
    IReadOnlyCollection<ClusterUser> LocalUsers();

    /// <summary>
    /// This node's figures, carried to every other node with each heartbeat (their operators'
    /// <c>stats</c> shows them). Opaque to the cluster, but one word: no whitespace. Called once a
    /// heartbeat, off the message path.
    /// </summary>
    string Figures();
}
