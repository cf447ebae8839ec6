namespace Chat.Cluster.Redis;

/// <summary>What one message on a node's inbound channel asks that node to do.</summary>
internal enum EnvelopeKind : byte
{
    Direct = 1,
    Broadcast = 2,
    Kick = 3,
    Say = 4,
    Notice = 5,

    /// <summary>A node's heartbeat probe of its own inbound subscription: it must come back.</summary>
    Probe = 6,
}
