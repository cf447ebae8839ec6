using Chat.Protocol;
using Chat.TestKit;
using Microsoft.Extensions.Time.Testing;

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

    [Fact]
    public async Task DrainTimeOverFlushesWhatIsQueuedThenClosesUsersStillConnected()
    {
        var clock = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(timeProvider: clock);
        await using var alice = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();

        server.RequestShutdown(TimeSpan.FromSeconds(30));
        // The notice is sent once the drain's timer runs, so advancing the clock after it ends the drain.
        Assert.Single(await ReceiveUntilNoticeAsync(alice));
        var text = new string('q', 1000);
        for (var index = 0; index < 300; index++)
        {
            await alice.SendAsync(bob.Id, $"{index} {text}");
        }

        // Bob has read nothing since his handshake; once Alice holds her echoes, all 300 copies are queued for him.
        for (var index = 0; index < 300; index++)
        {
            Assert.StartsWith($"{index} ", (await alice.ReceiveMessageAsync()).Msg, StringComparison.Ordinal);
        }

        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Empty(await alice.ExpectClosedAsync());
        // Bob's notice may come before or among Alice's first messages: the announcement reaches users one by one.
        var bobSaw = await bob.ExpectClosedAsync();
        Assert.Single(bobSaw, message => message.From == 0);
        Assert.Equal(Enumerable.Range(0, 300).Select(index => $"{index} {text}"), bobSaw.Where(message => message.From == alice.Id).Select(message => message.Msg));
        await server.WaitForStopRequestAsync();
        Assert.Equal("0", server.RunCommand("num.users"));
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
