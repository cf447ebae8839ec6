using System.Globalization;
using System.Text;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>
/// One node's figures as <c>stats</c> shows them for every node of a cluster. Each node writes its
/// own into every heartbeat (<see cref="Format"/>, one word of <c>name=value</c> pairs), so the
/// others show them without asking: as old as one heartbeat interval at most.
/// </summary>
internal record NodeFigures(
    DateTimeOffset? StartedAt,
    int Users,
    int Peak,
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
    long CrossNodeUnreachable,
    double? RedisRoundTripMs,
    long WorkingSetBytes)
{
    /// <summary>What a node shows for a peer whose first heartbeat has not come yet.</summary>
    public static readonly NodeFigures None = new(null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 0);

    // The window of the rate a node publishes.
    private const int RateWindowSeconds = 10;

    /// <summary>This node's figures now.</summary>
    public static NodeFigures Collect(ChatHub hub, TrafficSampler sampler) => Collect(hub, sampler, hub.Statistics.Totals(hub.Registry.Sessions));

    /// <summary>This node's figures now, with the traffic totals a caller has just taken.</summary>
    public static NodeFigures Collect(ChatHub hub, TrafficSampler sampler, TrafficTotals totals)
    {
        var statistics = hub.Statistics;
        var cluster = hub.Cluster;
        return new NodeFigures(
            hub.StartedAt,
            hub.Registry.Count,
            hub.Registry.Peak,
            statistics.HandshakesAccepted,
            statistics.HandshakesRefused,
            totals.MessagesIn,
            totals.BytesIn,
            totals.FramesOut,
            totals.BytesOut,
            totals.Deliveries,
            sampler.RatesOver(RateWindowSeconds).MessagesIn,
            cluster?.MessagesOut ?? 0,
            cluster?.MessagesIn ?? 0,
            cluster?.MessagesUnreachable ?? 0,
            cluster?.RoundTrip is { } roundTrip ? Math.Round(roundTrip.TotalMilliseconds, 3) : null,
            Environment.WorkingSet);
    }

    /// <summary>The figures as one word for the heartbeat: <c>name=value</c> pairs, separated by commas.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        Add(text, "started", StartedAt?.ToUnixTimeMilliseconds() ?? 0);
        Add(text, "users", Users);
        Add(text, "peak", Peak);
        Add(text, "accepted", HandshakesAccepted);
        Add(text, "refused", HandshakesRefused);
        Add(text, "msgs_in", MessagesIn);
        Add(text, "bytes_in", BytesIn);
        Add(text, "frames_out", FramesOut);
        Add(text, "bytes_out", BytesOut);
        Add(text, "deliveries", Deliveries);
        Add(text, "msgs_in_rate", MessagesInPerSecond);
        Add(text, "x_out", CrossNodeOut);
        Add(text, "x_in", CrossNodeIn);
        Add(text, "x_unreachable", CrossNodeUnreachable);
        Add(text, "rtt_ms", RedisRoundTripMs ?? -1);
        Add(text, "working_set", WorkingSetBytes);
        return text.ToString();
    }

    /// <summary>
    /// Reads what <see cref="Format"/> wrote on some node. Names it does not know are skipped and
    /// missing ones count as zero, so nodes of different versions still show each other.
    /// </summary>
    public static NodeFigures? TryParse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && double.TryParse(pair.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                values[pair[..equals]] = value;
            }
        }

        if (values.Count == 0)
        {
            return null;
        }

        long Whole(string name) => values.TryGetValue(name, out var value) ? (long)value : 0;
        double Real(string name) => values.TryGetValue(name, out var value) ? value : 0;
        var started = Whole("started");
        var roundTrip = values.TryGetValue("rtt_ms", out var rtt) && rtt >= 0 ? rtt : (double?)null;
        return new NodeFigures(
            started > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(started) : null,
            (int)Whole("users"),
            (int)Whole("peak"),
            Whole("accepted"),
            Whole("refused"),
            Whole("msgs_in"),
            Whole("bytes_in"),
            Whole("frames_out"),
            Whole("bytes_out"),
            Whole("deliveries"),
            Real("msgs_in_rate"),
            Whole("x_out"),
            Whole("x_in"),
            Whole("x_unreachable"),
            roundTrip,
            Whole("working_set"));
    }

    private static void Add(StringBuilder text, string name, long value) => Add(text, name, value.ToString(CultureInfo.InvariantCulture));

    private static void Add(StringBuilder text, string name, double value) => Add(text, name, value.ToString("R", CultureInfo.InvariantCulture));

    private static void Add(StringBuilder text, string name, string value)
    {
        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(name).Append('=').Append(value);
    }
}
