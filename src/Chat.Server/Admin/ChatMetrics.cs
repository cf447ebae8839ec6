using System.Diagnostics.Metrics;
using Chat.Cluster.Redis;
using Chat.Protocol;
using Chat.Server.Routing;
using Chat.Server.Sessions;
using Microsoft.Extensions.Hosting;

namespace Chat.Server.Admin;

/// <summary>
/// The server's instruments on the <c>Chat.Server</c> meter, for <c>dotnet-counters</c> and the
/// Prometheus endpoint (docs/OPERATIONS.md, "Metrics"). Every one is observable: it reads the
/// counters the hub and the sessions keep anyway, when a collector asks, so the message path pays
/// nothing for being measured.
/// </summary>
internal sealed class ChatMetrics : IHostedService
{
    /// <summary>The meter's name, as <c>dotnet-counters --counters</c> and the exporter take it.</summary>
    public const string MeterName = "Chat.Server";

    /// <summary>
    /// The reasons a user's connection can end. A refused handshake never made a user; it is
    /// counted with the handshakes instead.
    /// </summary>
    public static readonly IReadOnlyList<DisconnectReason> DisconnectReasons =
        Enum.GetValues<DisconnectReason>().Where(reason => reason != DisconnectReason.Refused).ToArray();

    private readonly ChatHub _hub;

    public ChatMetrics(IMeterFactory meterFactory, ChatHub hub)
    {
        _hub = hub;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("chat.users", () => _hub.Registry.Count, "{user}", "Users connected now");
        meter.CreateObservableGauge("chat.users.peak", () => _hub.Registry.Peak, "{user}", "Most users connected at once since start");
        meter.CreateObservableGauge("chat.users.limit", () => _hub.MaxUsers, "{user}", "Connected users at most (max.users)");
        meter.CreateObservableUpDownCounter("chat.users.throttled", CountThrottled, "{user}", "Users whose reading is slowed by the message rate now");
        meter.CreateObservableCounter("chat.handshakes", Handshakes, "{handshake}", "Handshakes by outcome (accepted, refused) and refusal");
        meter.CreateObservableCounter("chat.messages.received", () => Totals().MessagesIn, "{message}", "Messages received from users");
        meter.CreateObservableCounter("chat.messages.delivered", () => Totals().Deliveries, "{message}", "Copies of messages queued for users other than the sender");
        meter.CreateObservableCounter("chat.frames.sent", () => Totals().FramesOut, "{frame}", "Frames written to users: handshakes, echoes, deliveries, notices");
        meter.CreateObservableCounter("chat.received.bytes", () => Totals().BytesIn, "By", "Bytes of message frames received");
        meter.CreateObservableCounter("chat.sent.bytes", () => Totals().BytesOut, "By", "Bytes written to users");
        meter.CreateObservableUpDownCounter("chat.queued.bytes", SumQueued, "By", "Bytes waiting in every user's outbound queue now");
        meter.CreateObservableCounter("chat.disconnects", Disconnects, "{disconnect}", "Disconnects by reason");
        meter.CreateObservableCounter("chat.slow_consumers", () => _hub.Statistics.DisconnectsFor(DisconnectReason.SlowConsumer), "{user}",
            "Users disconnected because they stopped reading");
        if (hub.Cluster is { } cluster)
        {
            AddClusterInstruments(meter, cluster);
        }
    }

    // Created with the host so the instruments exist before anyone asks; the meter factory disposes them.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Cluster mode only: the link to Redis and what crosses it. Read from counters the node keeps.
    private void AddClusterInstruments(Meter meter, RedisClusterNode cluster)
    {
        meter.CreateObservableCounter("chat.cluster.messages.sent", () => cluster.MessagesOut, "{message}",
            "Messages handed to other nodes (a broadcast once per node; operator kicks, says and notices too)");
        meter.CreateObservableCounter("chat.cluster.messages.received", () => cluster.MessagesIn, "{message}",
            "Messages other nodes handed to this one");
        meter.CreateObservableCounter("chat.cluster.messages.unreachable", () => cluster.MessagesUnreachable, "{message}",
            "Users' messages that could not be handed to another node; each sender got a notice");
        meter.CreateObservableGauge("chat.cluster.link", () => cluster.IsLinked ? 1 : 0, "{link}",
            "1 while this node is linked to Redis and its directory is current, 0 while not");
        meter.CreateObservableGauge("chat.cluster.redis.round_trip", RoundTrip, "s",
            "How long the last heartbeat's writes to Redis took, there and back (none while the link is down)");
        meter.CreateObservableGauge("chat.cluster.nodes", () => cluster.NodeCount, "{node}", "Live nodes this node knows, itself included");
        meter.CreateObservableUpDownCounter("chat.cluster.users", () => _hub.Registry.Count + cluster.RemoteUserCount, "{user}",
            "Users connected to every live node, as this node's directory counts them");

        IEnumerable<Measurement<double>> RoundTrip()
        {
            if (cluster.IsLinked && cluster.RoundTrip is { } roundTrip)
            {
                yield return new Measurement<double>(roundTrip.TotalSeconds);
            }
        }
    }

    private TrafficTotals Totals() => _hub.Statistics.Totals(_hub.Registry.Sessions);

    private int CountThrottled() => _hub.Registry.Sessions.Count(session => session.IsThrottled);

    private long SumQueued() => _hub.Registry.Sessions.Sum(session => session.QueuedBytes);

    private IEnumerable<Measurement<long>> Handshakes()
    {
        var statistics = _hub.Statistics;
        yield return new Measurement<long>(statistics.HandshakesAccepted, new KeyValuePair<string, object?>("outcome", "accepted"));
        foreach (var refusal in Enum.GetValues<Refusal>().Where(refusal => refusal != Refusal.Unspecified))
        {
            yield return new Measurement<long>(statistics.RefusedFor(refusal),
                new KeyValuePair<string, object?>("outcome", "refused"), new KeyValuePair<string, object?>("refusal", refusal.ToString()));
        }
    }

    private IEnumerable<Measurement<long>> Disconnects() =>
        DisconnectReasons.Select(reason =>
            new Measurement<long>(_hub.Statistics.DisconnectsFor(reason), new KeyValuePair<string, object?>("reason", reason.ToString())));
}
