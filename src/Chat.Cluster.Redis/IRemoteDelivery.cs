namespace Chat.Cluster.Redis;

/// <summary>
/// Where the hub hands what leaves this node. Every call queues and returns at once (PROTOCOL.md,
/// "Cluster mode": deliveries are handed on before the echo); none waits on the network.
/// </summary>
public interface IRemoteDelivery
{
    /// <summary>Hands a stamped frame to the node that holds <paramref name="recipient"/>.</summary>
    RemoteSend SendDirect(long from, long recipient, ReadOnlySpan<byte> frame);

    /// <summary>Hands a stamped broadcast frame to every other live node, once each.</summary>
    RemoteSend SendBroadcast(long from, ReadOnlySpan<byte> frame);

    /// <summary>Asks the node holding <paramref name="id"/> to close it with <paramref name="notice"/>.</summary>
    RemoteSend Kick(long id, string notice);

    /// <summary>Sends an operator notice to the users of every other live node; the number of nodes asked.</summary>
    RemoteSend Say(string text, out int nodes);

    /// <summary>Sends a notice from 0 to one user on whichever node holds it.</summary>
    RemoteSend Notice(long recipient, string text);
}
