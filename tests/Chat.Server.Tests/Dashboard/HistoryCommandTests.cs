using System.Text.Json;
using Chat.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests.Dashboard;

/// <summary><c>history</c>: the ten minutes the dashboard's charts draw, one step a second, from the sampler <c>stats</c> uses.</summary>
public class HistoryCommandTests
{
    [Fact]
    public async Task HistoryHasMessagesPerSecondAndUsersForEachSecond()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var server = await TestServer.StartAsync(timeProvider: clock);
        Assert.Equal("no history yet (one step a second)", server.RunCommand("history"));
        await using var user = await server.ConnectAsync();

        await AdminCommandTests.SendAndAwaitEchoesAsync(user, 5);
        clock.Advance(TimeSpan.FromSeconds(1));
        await using var other = await server.ConnectAsync();
        await AdminCommandTests.SendAndAwaitEchoesAsync(user, 10);
        clock.Advance(TimeSpan.FromSeconds(1));

        var (newest, rates, users) = History(server, "history --json");
        Assert.Equal(2, newest);
        Assert.Equal([5.0, 10.0], rates);
        Assert.Equal([1, 2], users);
        var (_, lastRates, lastUsers) = History(server, "history 1 --json");
        Assert.Equal([10.0], lastRates);
        Assert.Equal([2], lastUsers);
        Assert.Matches(@"(?m)^0-1m ago\s+7\.5\s+10\.0\s+1\s+2$", server.RunCommand("history"));
    }

    [Fact]
    public async Task HistoryKeepsTheLastTenMinutes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var server = await TestServer.StartAsync(timeProvider: clock);

        for (var second = 0; second < 700; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var (newest, rates, users) = History(server, "history --json");
        Assert.Equal(700, newest);
        Assert.Equal(600, rates.Count);
        Assert.Equal(600, users.Count);
        Assert.Equal(11, server.RunCommand("history").Split('\n').Length);
        Assert.StartsWith("history: '601' is not a whole number from 1 to 600", server.RunCommand("history 601"), StringComparison.Ordinal);
    }

    private static (long Newest, List<double> Rates, List<int> Users) History(TestServer server, string line)
    {
        using var json = JsonDocument.Parse(server.RunCommand(line));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("interval_seconds").GetDouble());
        return (root.GetProperty("newest").GetInt64(),
            root.GetProperty("messages_per_second").EnumerateArray().Select(rate => rate.GetDouble()).ToList(),
            root.GetProperty("users").EnumerateArray().Select(count => count.GetInt32()).ToList());
    }
}
