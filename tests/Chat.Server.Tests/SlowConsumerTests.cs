using Chat.Server.Sessions;
using Chat.TestKit;

namespace Chat.Server.Tests;

public class SlowConsumerTests
{
    [Fact]
    public async Task BroadcastReachesEveryReaderWhileTheOneWhoNeverReadsIsDisconnected()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:MaxUsers"] = "2000",
            ["Chat:MaxQueuedBytesPerConnection"] = "200000",
        });
        var readers = new List<TestConnection>();
        for (var index = 0; index < 998; index++)
        {
            readers.Add(await server.ConnectAsync());
        }

        await using var broadcaster = await server.ConnectAsync();
        await using var filler = await server.ConnectAsync();
        await using var stalled = await server.ConnectAsync();
        stalled.Socket.ReceiveBufferSize = 4096;
        var stalledId = stalled.Id;

        // One user pours 200 x 60 KB at the stalled client (far past its 200 KB bound plus the socket
        // buffers) while another broadcasts to everyone; both read their echoes as healthy clients do.
        var payload = new string('x', 60_000);
        var filling = Task.Run(async () =>
        {
            for (var index = 0; index < 200; index++)
            {
                await filler.SendAsync(stalledId, payload);
                await ReceiveUntilAsync(filler, message => message.From == filler.Id);
            }
        });
        var broadcasting = Task.Run(async () =>
        {
            for (var index = 0; index < 20; index++)
            {
                await broadcaster.SendAsync(-1, $"broadcast {index}");
                await ReceiveUntilAsync(broadcaster, message => message.From == broadcaster.Id);
            }
        });

        await Task.WhenAll(readers.Select(async reader =>
        {
            for (var index = 0; index < 20; index++)
            {
                Assert.Equal($"broadcast {index}", (await reader.ReceiveMessageAsync()).Msg);
            }
        }));
        await Task.WhenAll(filling, broadcasting);

        await server.WaitForUserCountAsync(1000);
        var closed = Assert.Single(server.Hub.ClosedConnections.Latest(10));
        Assert.Equal((stalledId, DisconnectReason.SlowConsumer), (closed.Id, closed.Reason));
        Assert.Equal(1, server.Hub.Statistics.DisconnectsFor(DisconnectReason.SlowConsumer));

        foreach (var reader in readers)
        {
            await reader.DisposeAsync();
        }
    }

    [Fact]
    public async Task SlowConsumerNeverHoldsUpItsSender()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxQueuedBytesPerConnection"] = "200000" });
        await using var sender = await server.ConnectAsync();
        await using var stalled = await server.ConnectAsync();
        stalled.Socket.ReceiveBufferSize = 4096;

        var payload = new string('y', 60_000);
        for (var index = 0; index < 200; index++)
        {
            await sender.SendAsync(stalled.Id, payload);
            await ReceiveUntilAsync(sender, message => message.From == sender.Id);
        }

        await server.WaitForUserCountAsync(1);
        // Whatever was still in flight, the stream ends: the server closed it.
        await stalled.ExpectClosedAsync();
        Assert.Equal(DisconnectReason.SlowConsumer, server.Hub.ClosedConnections.Latest(1)[0].Reason);
    }

    // Reads until a message matches; returns everything read, the match last.
    private static async Task<List<Protocol.ChatMessage>> ReceiveUntilAsync(TestConnection connection, Func<Protocol.ChatMessage, bool> match)
    {
        var seen = new List<Protocol.ChatMessage>();
        while (true)
        {
            var message = await connection.ReceiveMessageAsync();
            seen.Add(message);
            if (match(message))
            {
                return seen;
            }
        }
    }
}
