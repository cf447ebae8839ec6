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
}
