using Chat.Server.Hosting;
using Chat.Server.Sessions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// The chat port on the lean transport (<c>Chat:LeanTransport</c>, an experiment kept off by
/// default): the same sessions and limits over zero-byte receives. The whole suite runs on it with
/// <c>Chat__LeanTransport=true</c> in the environment; these keep the basics covered in every run.
/// </summary>
public class LeanTransportTests
{
    private static Task<TestServer> StartLeanAsync(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings[$"{Chat.Server.ChatServerOptions.SectionName}:{ChatServerHost.LeanTransportKey}"] = "true";
        return TestServer.StartAsync(settings);
    }

    [Fact]
    public async Task PipelinedMessagesAndDeliveriesArriveInOrderExactlyOnce()
    {
        await using var server = await StartLeanAsync();
        await using var alice = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();
        // The lean transport names its connections L1, L2, ...; Kestrel's have names of its own.
        Assert.All(server.Hub.Registry.Sessions, session => Assert.StartsWith("L", session.ConnectionId, StringComparison.Ordinal));

        // Long messages too: a frame larger than the first receive buffer arrives in pieces.
        var texts = Enumerable.Range(0, 500).Select(index => index % 50 == 0 ? new string('z', 20_000) + index : $"message {index}").ToList();
        var sending = Task.Run(async () =>
        {
            foreach (var text in texts)
            {
                await alice.SendAsync(bob.Id, text);
            }
        });
        var echoes = new List<string>();
        var delivered = new List<string>();
        for (var index = 0; index < texts.Count; index++)
        {
            echoes.Add((await alice.ReceiveMessageAsync()).Msg);
            delivered.Add((await bob.ReceiveMessageAsync()).Msg);
        }

        await sending;
        Assert.Equal(texts, echoes);
        Assert.Equal(texts, delivered);
    }

    [Fact]
    public async Task SlowConsumerIsDisconnectedWithoutHoldingUpItsSender()
    {
        await using var server = await StartLeanAsync(new Dictionary<string, string?> { ["Chat:MaxQueuedBytesPerConnection"] = "200000" });
        await using var stalled = await server.ConnectAsync();
        stalled.Socket.ReceiveBufferSize = 4096;
        await using var sender = await server.ConnectAsync();

        // 12 MB at a client that reads nothing: far past its bound and every socket buffer on the way.
        var sends = Enumerable.Range(0, 200).Select(index => new Protocol.ChatMessage { To = stalled.Id, Msg = $"{index} {new string('s', 60_000)}" });
        var sending = Task.Run(async () =>
        {
            foreach (var message in sends)
            {
                await sender.SendAsync(message);
            }
        });
        var echoes = 0;
        while (echoes < 200)
        {
            echoes += (await sender.ReceiveMessageAsync()).From == sender.Id ? 1 : 0;
        }

        await sending;
        await server.WaitForUserCountAsync(1);
        await stalled.ExpectClosedAsync();
        Assert.Equal(DisconnectReason.SlowConsumer, server.Hub.ClosedConnections.Latest(1)[0].Reason);
    }

    [Fact]
    public async Task ClosedUserGetsItsNoticeThenTheEndOfTheStream()
    {
        await using var server = await StartLeanAsync();
        await using var user = await server.ConnectAsync();
        await user.SendAsync(0, "hello");
        Assert.Equal("hello", (await user.ReceiveMessageAsync()).Msg);

        server.Hub.CloseAll(DisconnectReason.Kicked, "bye");

        var rest = await user.ExpectClosedAsync();
        Assert.Equal("bye", Assert.Single(rest).Msg);
        await server.WaitForUserCountAsync(0);
    }
}
