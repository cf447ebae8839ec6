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
        // The bucket holds 10 ms of the rate (1,000), more than the configured burst of 20.
        var clock = new TimerWatchingTimeProvider();
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Chat:MessageRatePerSecond"] = "100000", ["Chat:MessageBurst"] = "20" }, clock);
        await using var flooder = await server.ConnectAsync();
        Assert.True(server.Hub.Registry.TryGet(flooder.Id, out var session));

        await SendNumberedAsync(flooder, 0, 1_100);
        await ReceiveNumberedAsync(flooder, 0, 1_000);

        // One wait of a millisecond, which buys the next 100 at once.
        await clock.WhenStartedAsync(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1_000, session.Counters.MessagesIn);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await ReceiveNumberedAsync(flooder, 1_000, 1_100);

        Assert.Equal(1_100, session.Counters.MessagesIn);
        Assert.Equal(1, clock.Started(TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task AWakeUpLaterThanAMillisecondStillGetsWhatTheRateEarnedMeanwhile()
    {
        // A burst of 20 at 100,000/s: were the bucket only 20 deep, a wake-up 5 ms late (a busy
        // machine's timer) would let 20 through where the rate earned 500.
        var clock = new TimerWatchingTimeProvider();
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Chat:MessageRatePerSecond"] = "100000", ["Chat:MessageBurst"] = "20" }, clock);
        await using var flooder = await server.ConnectAsync();
        Assert.True(server.Hub.Registry.TryGet(flooder.Id, out var session));

        await SendNumberedAsync(flooder, 0, 1_600);
        await ReceiveNumberedAsync(flooder, 0, 1_000);
        await clock.WhenStartedAsync(TimeSpan.FromMilliseconds(1));
        clock.Advance(TimeSpan.FromMilliseconds(5));
        await ReceiveNumberedAsync(flooder, 1_000, 1_500);

        // The rest waits for the next wake-up.
        await clock.WhenStartedAsync(TimeSpan.FromMilliseconds(1), after: 1);
        Assert.Equal(1_500, session.Counters.MessagesIn);
    }

    private static async Task SendNumberedAsync(TestConnection connection, int from, int to)
    {
        for (var index = from; index < to; index++)
        {
            await connection.SendAsync(0, $"{index}");
        }
    }

    private static async Task ReceiveNumberedAsync(TestConnection connection, int from, int to)
    {
        for (var index = from; index < to; index++)
        {
            Assert.Equal($"{index}", (await connection.ReceiveMessageAsync()).Msg);
        }
    }
}
