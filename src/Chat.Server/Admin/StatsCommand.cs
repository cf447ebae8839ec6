using System.Diagnostics;
using System.Globalization;
using Chat.Protocol;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>
/// <c>stats</c>: uptime, users and limits, handshakes, traffic in total and per second over the
/// last 1, 10 and 60 seconds, disconnects by reason, memory and the garbage collector.
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

    public string Summary => "uptime, users, handshakes, traffic and rates, disconnects, memory";

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
        return new StatsReport(
            _hub.StartedAt,
            (_hub.TimeProvider.GetUtcNow() - _hub.StartedAt).TotalSeconds,
            new StatsReport.UserFigures(_hub.Registry.Count, _hub.Registry.Peak, _hub.MaxUsers, _hub.MaxConnectionsPerAddress),
            new StatsReport.HandshakeFigures(statistics.HandshakesAccepted, refused),
            statistics.Totals(_hub.Registry.Sessions),
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
        summary.WriteTo(writer, withHeader: false);
        writer.WriteLine();

        var traffic = new TextTable(["traffic", "total", .. report.Rates.Keys.Select(window => $"/s {window}")]);
        AddRow(traffic, "messages.in", report.Traffic.MessagesIn, report.Rates.Values.Select(rate => rate.MessagesIn));
        AddRow(traffic, "deliveries", report.Traffic.Deliveries, report.Rates.Values.Select(rate => rate.Deliveries));
        AddRow(traffic, "frames.out", report.Traffic.FramesOut, report.Rates.Values.Select(rate => rate.FramesOut));
        AddRow(traffic, "bytes.in", report.Traffic.BytesIn, report.Rates.Values.Select(rate => rate.BytesIn));
        AddRow(traffic, "bytes.out", report.Traffic.BytesOut, report.Rates.Values.Select(rate => rate.BytesOut));
        traffic.WriteTo(writer);
    }

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
