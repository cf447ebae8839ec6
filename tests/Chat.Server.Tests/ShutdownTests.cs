using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

public class ShutdownTests
{
    [Fact]
    public async Task DrainTellsUsersRefusesNewcomersAndKeepsServingUntilTheyLeave()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();
        for (var index = 0; index < 50; index++)
        {
            await alice.SendAsync(bob.Id, $"before {index}");
        }

        for (var index = 0; index < 50; index++)
        {
            Assert.Equal($"before {index}", (await alice.ReceiveMessageAsync()).Msg);
        }

        server.RequestShutdown(TimeSpan.FromMinutes(1));

        Assert.Single(await ReceiveUntilNoticeAsync(alice));
        var bobSaw = await ReceiveUntilNoticeAsync(bob);
        Assert.Equal(Enumerable.Range(0, 50).Select(index => $"before {index}"), bobSaw.Where(m => m.From == alice.Id).Select(m => m.Msg));

        await using var newcomer = await server.ConnectRawAsync();
        var refusal = await newcomer.ReceiveHandshakeAsync();
        Assert.True(refusal.Error);
        Assert.Equal(Refusal.ShuttingDown, refusal.Refusal);

        await alice.SendAsync(bob.Id, "during the drain");
        Assert.Equal("during the drain", (await alice.ReceiveMessageAsync()).Msg);
        Assert.Equal("during the drain", (await bob.ReceiveMessageAsync()).Msg);

        await alice.DisposeAsync();
        await bob.DisposeAsync();
        await server.WaitForStopRequestAsync();
    }

    [Fact]
    public async Task DrainEndsByClosingUsersWhenTheDrainTimeIsOver()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();

        server.RequestShutdown(TimeSpan.Zero);
        var before = await user.ExpectClosedAsync();

        Assert.Contains(before, message => message.From == 0 && message.Msg.Contains("shutting down", StringComparison.Ordinal));
        await server.WaitForStopRequestAsync();
    }

    private static async Task<List<ChatMessage>> ReceiveUntilNoticeAsync(TestConnection connection)
    {
        var seen = new List<ChatMessage>();
        while (true)
        {
            var message = await connection.ReceiveMessageAsync();
            seen.Add(message);
            if (message.From == 0)
            {
                Assert.Contains("shutting down", message.Msg, StringComparison.Ordinal);
                return seen;
            }
        }
    }
}
