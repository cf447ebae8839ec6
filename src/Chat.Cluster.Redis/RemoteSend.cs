namespace Chat.Cluster.Redis;

/// <summary>What became of something handed to another node.</summary>
public enum RemoteSend
{
    /// <summary>Queued for the node(s) concerned (or there were none to reach).</summary>
    Sent,

    /// <summary>No live node holds the recipient, as far as this node knows.</summary>
    NotFound,

    /// <summary>The recipient is elsewhere, but this node cannot reach Redis right now.</summary>
    Unreachable,
}
