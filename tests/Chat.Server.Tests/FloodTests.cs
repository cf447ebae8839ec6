using Chat.TestKit;

namespace Chat.Server.Tests;

public class FloodTests
{
    [Fact]
    public async Task ClientOverItsRateIsSlowedNotCutOffAndGetsEveryEchoInOrder()
    {
        var clock = new TimerWatchingTimeProvider();
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Chat:MessageRatePerSecond"] = "5", ["Chat:MessageBurst"] = "4" }, clock);
        await using var flooder = await server.ConnectAsync();
        await using var bystander = await server.ConnectAsync();
        Assert.True(server.Hub.Registry.TryGet(flooder.Id, out var session));

        for (var index = 0; index < 14; index++)
        {
            await flooder.SendAsync(0, $"{index}");
        }

        // The burst goes through at once; then the server stops reading this client until time passes.
        for (var index = 0; index < 4; index++)
        {
            Assert.Equal($"{index}", (await flooder.ReceiveMessageAsync()).Msg);
        }

        Assert.Equal(4, session.Counters.MessagesIn);
        await bystander.SendAsync(0, "not held up");
        Assert.Equal("not held up", (await bystander.ReceiveMessageAsync()).Msg);

        // Each 200 ms of (fake) time buys exactly one more message, never two: the loop counts a
        // message in before the batch's echoes are flushed, so an early one would show here.
        for (var index = 4; index < 14; index++)
        {
            // The read loop's wait must exist before the clock moves, or the move would not end it.
            await clock.WhenStartedAsync(TimeSpan.FromMilliseconds(200), after: index - 4);
            clock.Advance(TimeSpan.FromMilliseconds(200));
            Assert.Equal($"{index}", (await flooder.ReceiveMessageAsync()).Msg);
            Assert.Equal(index + 1, session.Counters.MessagesIn);
        }

        Assert.Equal(14, session.Counters.MessagesIn);
        Assert.Equal("2", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task AClientHeldAtAHighRateIsWokenOncePerMillisecondForABatchNotOncePerMessage()
    {
        // At 100,000 messages a second a token comes every 10 us; the loop must not wake for each.
        var clock = new TimerWatchingTimeProvider();
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Chat:MessageRatePerSecond"] = "100000", ["Chat:MessageBurst"] = "20" }, clock);
        await using var flooder = await server.ConnectAsync();
        Assert.True(server.Hub.Registry.TryGet(flooder.Id, out var session));

        for (var index = 0; index < 40; index++)
        {
            await flooder.SendAsync(0, $"{index}");
        }

        for (var index = 0; index < 20; index++)
        {
            Assert.Equal($"{index}", (await flooder.ReceiveMessageAsync()).Msg);
        }

        // One wait of a millisecond, which buys the next 20 at once (a millisecond is 100 tokens, the burst caps them at 20).
        await clock.WhenStartedAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal(20, session.Counters.MessagesIn);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        for (var index = 20; index < 40; index++)
        {
            Assert.Equal($"{index}", (await flooder.ReceiveMessageAsync()).Msg);
        }

        Assert.Equal(40, session.Counters.MessagesIn);
        Assert.Equal(1, clock.Started(TimeSpan.FromMilliseconds(1)));
    }
}
