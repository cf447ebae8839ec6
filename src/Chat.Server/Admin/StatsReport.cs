using System.Text.Json.Serialization;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>What <c>stats</c> shows, and the shape of <c>stats --json</c>.</summary>
internal sealed record StatsReport(
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    StatsReport.UserFigures Users,
    StatsReport.HandshakeFigures Handshakes,
    TrafficTotals Traffic,
    IReadOnlyDictionary<string, TrafficRates> Rates,
    IReadOnlyDictionary<string, long> Disconnects,
    StatsReport.MemoryFigures Memory)
{
    /// <summary>Cluster mode: every node's figures and their totals; left out when the server runs alone.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClusterFigures? Cluster { get; init; }

    /// <summary>Users now, at most so far, and the limits in force.</summary>
    public sealed record UserFigures(int Now, int Peak, int Limit, int PerAddressLimit);

    /// <summary>Handshakes since start: accepted, and refused by reason.</summary>
    public sealed record HandshakeFigures(long Accepted, IReadOnlyDictionary<string, long> Refused);

    /// <summary>The process's memory and the garbage collector's work since start.</summary>
    public sealed record MemoryFigures(
        long HeapBytes,
        long WorkingSetBytes,
        long AllocatedBytes,
        int Gen0Collections,
        int Gen1Collections,
        int Gen2Collections,
        double GcPauseMilliseconds);

    /// <summary>This node's link, and one row per node (this one first) with the totals over all of them.</summary>
    public sealed record ClusterFigures(
        string Node,
        bool Linked,
        double? RedisRoundTripMs,
        IReadOnlyList<NodeRow> Nodes,
        ClusterTotals Totals);

    /// <summary>
    /// One node's figures: this node's now, another's as its last heartbeat carried them
    /// (<see cref="Reported"/> is false until the first came, and the figures are zeros). Its
    /// <see cref="NodeFigures.Users"/> is always this node's count of that node's users, so the
    /// rows add up to <c>num.users</c>.
    /// </summary>
    public sealed record NodeRow(
        string Node,
        bool Self,
        string Address,
        double LastHeardSeconds,
        bool Reported,
        double? UptimeSeconds,
        NodeFigures Figures) : NodeFigures(Figures)
    {
        /// <summary>The figures, flattened into the row in JSON.</summary>
        [JsonIgnore]
        public NodeFigures Figures { get; init; } = Figures;
    }

    /// <summary>The sums over every node's row.</summary>
    public sealed record ClusterTotals(
        int Nodes,
        int Users,
        long HandshakesAccepted,
        long HandshakesRefused,
        long MessagesIn,
        long BytesIn,
        long FramesOut,
        long BytesOut,
        long Deliveries,
        double MessagesInPerSecond,
        long CrossNodeOut,
        long CrossNodeIn,
        long CrossNodeUnreachable);
}
