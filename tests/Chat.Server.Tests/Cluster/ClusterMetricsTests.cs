using System.Diagnostics.Metrics;
using Chat.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Tests.Cluster;

/// <summary>
/// Cluster mode's instruments on the Chat.Server meter, read in process as dotnet-counters reads
/// them (ClusterProcessTests scrapes a real node's Prometheus endpoint).
/// </summary>
public class ClusterMetricsTests
{
    [Fact]
    public async Task InstrumentsCountCrossNodeMessagesAndShowTheLinkAndRedisRoundTrip()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        await using var alice = await cluster[0].ConnectAsync();
        await using var bob = await cluster[1].ConnectAsync();
        await cluster.WaitForUsersAsync(2);

        const int count = 10;
        for (var i = 0; i < count; i++)
        {
            await alice.SendAsync(bob.Id, $"m{i}");
        }

        for (var i = 0; i < count; i++)
        {
            await alice.ReceiveMessageAsync();
            Assert.Equal($"m{i}", (await bob.ReceiveMessageAsync()).Msg);
        }

        // A heartbeat after the traffic has measured the round trip.
        await cluster[0].WaitForClusterAsync(node => node.Hub.Cluster!.RoundTrip is not null, "a measured round trip");
        var sender = Collect(cluster[0]);
        var receiver = Collect(cluster[1]);
        Assert.Equal(count, sender["chat.cluster.messages.sent"]);
        Assert.Equal(0, sender["chat.cluster.messages.received"]);
        Assert.Equal(count, receiver["chat.cluster.messages.received"]);
        Assert.Equal(0, receiver["chat.cluster.messages.sent"]);
        Assert.Equal(0, sender["chat.cluster.messages.unreachable"]);
        Assert.Equal(1, sender["chat.cluster.link"]);
        Assert.Equal(2, sender["chat.cluster.nodes"]);
        Assert.Equal(2, sender["chat.cluster.users"]);
        Assert.InRange(sender["chat.cluster.redis.round_trip"], 1e-7, 5);

        // The link goes down: the gauge says so, no round trip is reported, and a message that
        // cannot leave is counted (its sender gets the notice).
        await cluster.Redis.StopAsync();
        await cluster[0].WaitForClusterAsync(node => !node.IsLinked, "the link go down");
        await alice.SendAsync(bob.Id, "across");
        await alice.ReceiveMessageAsync();
        Assert.Contains("could not be reached", (await alice.ReceiveMessageAsync()).Msg, StringComparison.Ordinal);
        var down = Collect(cluster[0]);
        Assert.Equal(0, down["chat.cluster.link"]);
        Assert.False(down.ContainsKey("chat.cluster.redis.round_trip"));
        Assert.Equal(1, down["chat.cluster.messages.unreachable"]);
        Assert.Equal(count, down["chat.cluster.messages.sent"]);
    }

    [Fact]
    public async Task AServerAloneHasNoClusterInstruments()
    {
        await using var server = await TestServer.StartAsync();

        var measured = Collect(server);

        Assert.Contains("chat.users", measured.Keys);
        Assert.DoesNotContain(measured.Keys, name => name.StartsWith("chat.cluster.", StringComparison.Ordinal));
    }

    // Only this server's meter: servers of tests running in parallel publish meters of the same name.
    private static Dictionary<string, double> Collect(TestServer server)
    {
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        var measured = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Chat.Server" && ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("chat.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(measured, instrument, tags, value));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(measured, instrument, tags, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(measured, instrument, tags, value));
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private static void Record(Dictionary<string, double> measured, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags, double value)
    {
        // Untagged instruments only are asked for by name here; tagged ones keep their first tag.
        var key = tags.IsEmpty ? instrument.Name : $"{instrument.Name}{{{tags[0].Key}={tags[0].Value}}}";
        measured[key] = value;
    }
}
