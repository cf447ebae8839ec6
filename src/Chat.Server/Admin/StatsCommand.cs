using System.Diagnostics;
using System.Globalization;
using Chat.Protocol;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>
/// <c>stats</c>: uptime, users and limits, handshakes, traffic in total and per second over the
/// last 1, 10 and 60 seconds, disconnects by reason, memory and the garbage collector. In cluster
/// mode also one row per node (each node's figures travel with its heartbeat) and their totals.
/// </summary>
internal sealed class StatsCommand : IOperatorCommand
{
    private static readonly int[] Windows = [1, 10, 60];
    private readonly ChatHub _hub;
    private readonly TrafficSampler _sampler;

    public StatsCommand(ChatHub hub, TrafficSampler sampler)
    {
        _hub = hub;
        _sampler = sampler;
    }

    public string Name => "stats";

    public string Usage => "stats [--json]";

    public string Summary => "uptime, users, handshakes, traffic and rates, disconnects, memory (in cluster mode also every node's)";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectNone(arguments);
        output.Show(Collect(), WriteText);
    }

    private StatsReport Collect()
    {
        var statistics = _hub.Statistics;
        var refused = Enum.GetValues<Refusal>()
            .Where(refusal => refusal != Refusal.Unspecified)
            .ToDictionary(refusal => refusal.ToString(), statistics.RefusedFor);
        var disconnects = ChatMetrics.DisconnectReasons
            .ToDictionary(reason => reason.ToString(), statistics.DisconnectsFor);
        var rates = Windows.ToDictionary(seconds => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"), _sampler.RatesOver);
        using var process = Process.GetCurrentProcess();
        // One walk over the sessions, for this report and for this node's row in cluster mode.
        var totals = statistics.Totals(_hub.Registry.Sessions);
        var report = new StatsReport(
            _hub.StartedAt,
            (_hub.TimeProvider.GetUtcNow() - _hub.StartedAt).TotalSeconds,
            new StatsReport.UserFigures(_hub.Registry.Count, _hub.Registry.Peak, _hub.MaxUsers, _hub.MaxConnectionsPerAddress),
            new StatsReport.HandshakeFigures(statistics.HandshakesAccepted, refused),
            totals,
            rates,
            disconnects,
            new StatsReport.MemoryFigures(
                GC.GetTotalMemory(forceFullCollection: false),
                process.WorkingSet64,
                GC.GetTotalAllocatedBytes(),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                GC.GetTotalPauseDuration().TotalMilliseconds));
        return _hub.Cluster is null ? report : report with { Cluster = CollectCluster(totals) };
    }

    // This node's figures now, every other live node's from its last heartbeat.
    private StatsReport.ClusterFigures CollectCluster(TrafficTotals localTotals)
    {
        var cluster = _hub.Cluster!;
        var now = _hub.TimeProvider.GetUtcNow();
        var self = NodeFigures.Collect(_hub, _sampler, localTotals);
        var rows = new List<StatsReport.NodeRow> { Row(cluster.NodeName, self: true, cluster.Address, 0, self, self.Users, now) };
        foreach (var node in cluster.Nodes())
        {
            rows.Add(Row(node.Name, self: false, node.Address, Math.Max(0, (now - node.LastHeard).TotalSeconds),
                NodeFigures.TryParse(node.Figures), node.Users, now));
        }

        var totals = new StatsReport.ClusterTotals(
            rows.Count,
            rows.Sum(row => row.Users),
            rows.Sum(row => row.HandshakesAccepted),
            rows.Sum(row => row.HandshakesRefused),
            rows.Sum(row => row.MessagesIn),
            rows.Sum(row => row.BytesIn),
            rows.Sum(row => row.FramesOut),
            rows.Sum(row => row.BytesOut),
            rows.Sum(row => row.Deliveries),
            Math.Round(rows.Sum(row => row.MessagesInPerSecond), 3),
            rows.Sum(row => row.CrossNodeOut),
            rows.Sum(row => row.CrossNodeIn),
            rows.Sum(row => row.CrossNodeUnreachable));
        return new StatsReport.ClusterFigures(cluster.NodeName, cluster.IsLinked, self.RedisRoundTripMs, rows, totals);
    }

    private static StatsReport.NodeRow Row(string name, bool self, string address, double heardSeconds, NodeFigures? reported, int users, DateTimeOffset now)
    {
        var figures = (reported ?? NodeFigures.None) with { Users = users };
        return new StatsReport.NodeRow(
            name,
            self,
            address,
            Math.Round(heardSeconds, 3),
            reported is not null,
            figures.StartedAt is { } started ? Math.Max(0, (now - started).TotalSeconds) : null,
            figures);
    }

    private static void WriteText(StatsReport report, TextWriter writer)
    {
        var users = report.Users;
        var memory = report.Memory;
        var summary = new TextTable("what", "figures");
        summary.Add("uptime", $"{Durations.Format(TimeSpan.FromSeconds(report.UptimeSeconds))} (since {report.StartedAt.ToString("u", CultureInfo.InvariantCulture)})");
        summary.Add("users", Invariant(
            $"{users.Now} now, {users.Peak} at peak, limit {users.Limit}, per address {(users.PerAddressLimit == 0 ? "no limit" : users.PerAddressLimit.ToString(CultureInfo.InvariantCulture))}"));
        summary.Add("handshakes", Invariant($"{report.Handshakes.Accepted} accepted, refused: {Counts(report.Handshakes.Refused)}"));
        summary.Add("disconnects", Counts(report.Disconnects));
        summary.Add("memory", $"heap {Bytes(memory.HeapBytes)}, working set {Bytes(memory.WorkingSetBytes)}, allocated {Bytes(memory.AllocatedBytes)} since start");
        summary.Add("gc", Invariant(
            $"{memory.Gen0Collections} gen0, {memory.Gen1Collections} gen1, {memory.Gen2Collections} gen2 collections; paused {memory.GcPauseMilliseconds:0} ms in all"));
        if (report.Cluster is { } cluster)
        {
            var self = cluster.Nodes[0];
            summary.Add("cluster", Invariant(
                $"node {cluster.Node} of {cluster.Totals.Nodes}, link {(cluster.Linked ? "up" : "down")}, Redis round trip {RoundTrip(cluster.RedisRoundTripMs)}; cross-node {self.CrossNodeOut} out, {self.CrossNodeIn} in, {self.CrossNodeUnreachable} unreachable"));
        }

        summary.WriteTo(writer, withHeader: false);
        writer.WriteLine();

        var traffic = new TextTable(["traffic", "total", .. report.Rates.Keys.Select(window => $"/s {window}")]);
        AddRow(traffic, "messages.in", report.Traffic.MessagesIn, report.Rates.Values.Select(rate => rate.MessagesIn));
        AddRow(traffic, "deliveries", report.Traffic.Deliveries, report.Rates.Values.Select(rate => rate.Deliveries));
        AddRow(traffic, "frames.out", report.Traffic.FramesOut, report.Rates.Values.Select(rate => rate.FramesOut));
        AddRow(traffic, "bytes.in", report.Traffic.BytesIn, report.Rates.Values.Select(rate => rate.BytesIn));
        AddRow(traffic, "bytes.out", report.Traffic.BytesOut, report.Rates.Values.Select(rate => rate.BytesOut));
        traffic.WriteTo(writer);
        if (report.Cluster is { } clusterFigures)
        {
            writer.WriteLine();
            WriteNodes(clusterFigures, writer);
        }
    }

    // One row per node, then the totals. Another node's row is as of its last heartbeat ("heard").
    private static void WriteNodes(StatsReport.ClusterFigures cluster, TextWriter writer)
    {
        var table = new TextTable("node", "heard", "uptime", "users", "msgs.in", "/s 10s", "deliveries", "frames.out", "bytes.in", "bytes.out", "x.out", "x.in", "x.unreachable", "rtt.ms");
        foreach (var row in cluster.Nodes)
        {
            if (!row.Reported)
            {
                table.Add(row.Node, Heard(row), "-", TextTable.Number(row.Users), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-");
                continue;
            }

            table.Add(
                row.Self ? row.Node + " (this node)" : row.Node,
                Heard(row),
                row.UptimeSeconds is { } uptime ? Durations.Format(TimeSpan.FromSeconds(uptime)) : "-",
                TextTable.Number(row.Users),
                TextTable.Number(row.MessagesIn),
                row.MessagesInPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                TextTable.Number(row.Deliveries),
                TextTable.Number(row.FramesOut),
                TextTable.Number(row.BytesIn),
                TextTable.Number(row.BytesOut),
                TextTable.Number(row.CrossNodeOut),
                TextTable.Number(row.CrossNodeIn),
                TextTable.Number(row.CrossNodeUnreachable),
                Milliseconds(row.RedisRoundTripMs));
        }

        var totals = cluster.Totals;
        table.Add(
            "total",
            "-",
            "-",
            TextTable.Number(totals.Users),
            TextTable.Number(totals.MessagesIn),
            totals.MessagesInPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
            TextTable.Number(totals.Deliveries),
            TextTable.Number(totals.FramesOut),
            TextTable.Number(totals.BytesIn),
            TextTable.Number(totals.BytesOut),
            TextTable.Number(totals.CrossNodeOut),
            TextTable.Number(totals.CrossNodeIn),
            TextTable.Number(totals.CrossNodeUnreachable),
            "-");
        table.WriteTo(writer);
        if (!cluster.Linked)
        {
            writer.WriteLine("(partial: the cluster store is unreachable; other nodes as last heard from)");
        }
    }

    private static string Heard(StatsReport.NodeRow row) =>
        row.Self ? "now" : Durations.Format(TimeSpan.FromSeconds(row.LastHeardSeconds)) + " ago";

    // Milliseconds to two places, or "-" when there is no figure; the table's column is in ms already.
    private static string Milliseconds(double? milliseconds) =>
        milliseconds is { } ms ? ms.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string RoundTrip(double? milliseconds) =>
        milliseconds is null ? "-" : Milliseconds(milliseconds) + " ms";

    private static void AddRow(TextTable table, string name, long total, IEnumerable<double> rates) =>
        table.Add([name, total.ToString(CultureInfo.InvariantCulture), .. rates.Select(rate => rate.ToString("0.0", CultureInfo.InvariantCulture))]);

    // Only the reasons that happened, so the line stays short; JSON has every one.
    private static string Counts(IReadOnlyDictionary<string, long> counts)
    {
        var happened = counts.Where(pair => pair.Value > 0).Select(pair => Invariant($"{pair.Key} {pair.Value}")).ToList();
        return happened.Count == 0 ? "none" : string.Join(", ", happened);
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => Invariant($"{bytes} B"),
        < 1024 * 1024 => Invariant($"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => Invariant($"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => Invariant($"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
