using System.Diagnostics.Metrics;
using Chat.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Tests;

/// <summary>The Chat.Server meter's instruments, read in process as dotnet-counters reads them.</summary>
public class MeterTests
{
    [Fact]
    public async Task InstrumentsReadTheServersOwnFigures()
    {
        await using var server = await TestServer.StartAsync();
        await using var stays = await server.ConnectAsync();
        await using var kicked = await server.ConnectAsync();
        await stays.SendAsync(-1, "hi");
        await stays.ReceiveMessageAsync();
        await kicked.ReceiveMessageAsync();
        server.RunCommand($"kick {kicked.Id}");
        await kicked.ExpectClosedAsync();
        await server.WaitForUserCountAsync(1);

        var measured = Collect(server);

        Assert.Equal(1, measured["chat.users"]);
        Assert.Equal(2, measured["chat.users.peak"]);
        Assert.Equal(10_000, measured["chat.users.limit"]);
        Assert.Equal(2, measured["chat.handshakes{outcome=accepted}"]);
        Assert.Equal(0, measured["chat.handshakes{outcome=refused,refusal=ServerFull}"]);
        Assert.Equal(1, measured["chat.messages.received"]);
        Assert.Equal(1, measured["chat.messages.delivered"]);
        Assert.Equal(1, measured["chat.disconnects{reason=Kicked}"]);
        Assert.Equal(0, measured["chat.slow_consumers"]);
        Assert.Equal(0, measured["chat.queued.bytes"]);
    }

    // Only this server's meter: servers of tests running in parallel publish meters of the same name.
    private static Dictionary<string, long> Collect(TestServer server)
    {
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        var measured = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Chat.Server" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measured[Key(instrument, tags)] = value);
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured[Key(instrument, tags)] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private static string Key(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return instrument.Name;
        }

        var labels = new List<string>();
        foreach (var tag in tags)
        {
            labels.Add($"{tag.Key}={tag.Value}");
        }

        return $"{instrument.Name}{{{string.Join(',', labels)}}}";
    }
}
