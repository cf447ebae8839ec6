namespace Chat.LoadGen.Traffic;

/// <summary>Whom each message goes to (<c>chat-bench echo --traffic</c>).</summary>
internal enum TrafficPattern
{
    /// <summary><c>to</c> = 0: the echo only, the server routes to nobody else (the yardstick's echo).</summary>
    Self,

    /// <summary>Clients in pairs on the same node, each sending to the other: direct messages that stay on one node.</summary>
    Local,

    /// <summary>Clients in pairs on different nodes, each sending to the other: every message crosses to another node.</summary>
    Cross,
}

/// <summary>
/// Where each client of a run goes and whom it talks to. Pairs are clients 2k and 2k+1. With
/// <see cref="TrafficPattern.Local"/> both of a pair go to node k mod N; with
/// <see cref="TrafficPattern.Cross"/> (and <see cref="TrafficPattern.Self"/>) client i goes to node
/// i mod N, so the two of a pair are on different nodes whenever there are two or more. In a fan-out
/// the senders are users 0..S-1 and the receivers come after them, each on node i mod N.
/// </summary>
internal static class TrafficPlan
{
    public const string Self = "self";
    public const string Local = "local";
    public const string Cross = "cross";

    public static TrafficPattern? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        Self or "echo" => TrafficPattern.Self,
        Local => TrafficPattern.Local,
        Cross => TrafficPattern.Cross,
        _ => null,
    };

    public static string Name(TrafficPattern pattern) => pattern switch
    {
        TrafficPattern.Local => Local,
        TrafficPattern.Cross => Cross,
        _ => Self,
    };

    /// <summary>The node (index into the servers) client <paramref name="client"/> connects to.</summary>
    public static int NodeOf(TrafficPattern pattern, int client, int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        return pattern == TrafficPattern.Local ? client / 2 % nodes : client % nodes;
    }

    /// <summary>The client that <paramref name="client"/> sends to, and that sends to it.</summary>
    public static int PartnerOf(int client) => client ^ 1;

    /// <summary>What is wrong with running <paramref name="pattern"/> with this many clients and nodes; null when nothing.</summary>
    public static string? Check(TrafficPattern pattern, int clients, int nodes) => pattern switch
    {
        TrafficPattern.Self => null,
        _ when clients % 2 != 0 => $"--traffic {Name(pattern)} pairs the clients: --connections must be even",
        TrafficPattern.Cross when nodes < 2 => "--traffic cross needs two or more servers (--servers host:port,host:port)",
        _ => null,
    };
}
