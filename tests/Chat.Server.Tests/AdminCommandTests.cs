using System.Text.Json;
using Chat.Protocol;
using Chat.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests;

/// <summary>The operator's commands, each run through the dispatcher of a live in-process server.</summary>
public class AdminCommandTests
{
    [Fact]
    public async Task ListUsersShowsEveryConnectedUserWithWhatTheyMoved()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("no users connected", server.RunCommand("list.users"));
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        await first.SendAsync(0, "hello");
        await first.ReceiveMessageAsync();

        var lines = server.RunCommand("list.users").Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^id\s+address\s+transport\s+connected\s+idle\s+msgs\.in\s+bytes\.in\s+frames\.out\s+bytes\.out\s+queued\s+throttled$", lines[0]);
        // Frames out are counted once flushed, which may be just after the client has them.
        Assert.Matches($@"^\s*{first.Id}\s+127\.0\.0\.1:\d+\s+tcp\s+\S+\s+\S+\s+1\s+8\s+\d+\s+\d+\s+0\s+no$", lines[1]);
        Assert.Matches($@"^\s*{second.Id}\s+127\.0\.0\.1:\d+\s+tcp\s+\S+\s+\S+\s+0\s+0\s+\d+\s+\d+\s+0\s+no$", lines[2]);
    }

    [Fact]
    public async Task ListUsersShowsAtMostTheCountAskedFor()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        var lines = server.RunCommand("list.users 1").Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Matches($@"^\s*{first.Id}\s", lines[1]);
        Assert.Equal("(1 of 2 users shown)", lines[2]);
        Assert.StartsWith("list.users: '1.5' is not a whole number from 1 to 1000000", server.RunCommand("list.users 1.5"), StringComparison.Ordinal);
        Assert.StartsWith("list.users: takes at most one argument", server.RunCommand("list.users 1 2"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListUsersInJsonHasStableFieldNames()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();
        await user.SendAsync(0, "hi");
        await user.ReceiveMessageAsync();

        using var json = JsonDocument.Parse(server.RunCommand("list.users --json"));

        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt32());
        var entry = json.RootElement.GetProperty("users")[0];
        Assert.Equal(user.Id, entry.GetProperty("id").GetInt64());
        Assert.StartsWith("127.0.0.1:", entry.GetProperty("remote_address").GetString(), StringComparison.Ordinal);
        Assert.Equal("tcp", entry.GetProperty("transport").GetString());
        Assert.Equal(1, entry.GetProperty("messages_in").GetInt64());
        Assert.Equal(5, entry.GetProperty("bytes_in").GetInt64());
        Assert.Equal(0, entry.GetProperty("queued_bytes").GetInt64());
        Assert.False(entry.GetProperty("throttled").GetBoolean());
        Assert.True(entry.TryGetProperty("idle_seconds", out _));
        Assert.True(entry.TryGetProperty("connected_seconds", out _));
    }

    [Fact]
    public async Task ShowUserShowsOneUserAndRejectsAnUnknownOne()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var server = await TestServer.StartAsync(timeProvider: clock);
        await using var user = await server.ConnectAsync();
        await user.SendAsync(0, "hi");
        await user.ReceiveMessageAsync();
        clock.Advance(TimeSpan.FromSeconds(75));

        var reply = server.RunCommand($"show.user {user.Id}");

        Assert.Matches($@"(?m)^id\s+{user.Id}$", reply);
        Assert.Matches(@"(?m)^connected for\s+1m15s$", reply);
        Assert.Matches(@"(?m)^idle for\s+1m15s$", reply);
        Assert.Matches(@"(?m)^messages in\s+1$", reply);
        Assert.Matches(@"(?m)^bytes queued\s+0$", reply);
        Assert.Equal("show.user: no user 99 is connected (usage: show.user ID [--json])", server.RunCommand("show.user 99"));
        Assert.StartsWith("show.user: 'me' is not a whole number", server.RunCommand("show.user me"), StringComparison.Ordinal);
        Assert.StartsWith("show.user: needs a user id", server.RunCommand("show.user"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KickSendsTheReasonFromZeroThenClosesAndRecordsKicked()
    {
        await using var server = await TestServer.StartAsync();
        await using var victim = await server.ConnectAsync();
        await using var bystander = await server.ConnectAsync();

        Assert.Equal($"kicked user {victim.Id}", server.RunCommand($"kick {victim.Id} flooding the room"));

        var before = await victim.ExpectClosedAsync();
        var notice = Assert.Single(before);
        Assert.Equal(0, notice.From);
        Assert.Equal(victim.Id, notice.To);
        Assert.Equal("you were disconnected by the operator: flooding the room", notice.Msg);
        await server.WaitForUserCountAsync(1);
        Assert.Equal(1, server.Hub.Statistics.DisconnectsFor(Sessions.DisconnectReason.Kicked));
        Assert.Matches($@"(?m)^\s*{victim.Id}\s.*\sKicked\s", server.RunCommand("closed.users"));
        Assert.Empty(await bystander.BarrierAsync());
    }

    [Fact]
    public async Task KickOfAnUnknownUserChangesNothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();

        Assert.Equal("kick: no user 42 is connected (usage: kick ID [reason])", server.RunCommand("kick 42"));
        Assert.StartsWith("kick: '-1' is not a whole number", server.RunCommand("kick -1"), StringComparison.Ordinal);

        Assert.Empty(await user.BarrierAsync());
        Assert.Equal("1", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task SayReachesEveryUserAsANoticeFromZero()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        Assert.Equal("sent to 2 users", server.RunCommand("say back in   five minutes"));

        foreach (var user in new[] { first, second })
        {
            var notice = Assert.Single(await user.BarrierAsync());
            Assert.Equal(0, notice.From);
            Assert.Equal(user.Id, notice.To);
            Assert.Equal("back in five minutes", notice.Msg);
        }

        Assert.StartsWith("say: needs the text to send", server.RunCommand("say"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e300")]
    [InlineData("-1")]
    public async Task ShutdownWithANumberOutOfRangeAnswersOneLineAndKeepsServing(string seconds)
    {
        await using var server = await TestServer.StartAsync();

        Assert.Equal($"shutdown: '{seconds}' is not a number from 0 to 600 (usage: shutdown [seconds])", server.RunCommand($"shutdown {seconds}"));

        await using var user = await server.ConnectAsync();
        Assert.Empty(await user.BarrierAsync());
    }

    [Fact]
    public async Task SetMaxUsersTakesEffectForTheNextHandshake()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        Assert.Equal("max.users: 10000 -> 2 (from the next handshake on)", server.RunCommand("set max.users 2"));

        await using var third = await server.ConnectRawAsync();
        var refused = await third.ReceiveHandshakeAsync();
        Assert.True(refused.Error);
        Assert.Equal(Refusal.ServerFull, refused.Refusal);
        Assert.Empty(await first.BarrierAsync());

        server.RunCommand("set max.users 3");
        await using var fourth = await server.ConnectAsync();
        Assert.Equal("3", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task SetMaxPerAddressTakesEffectForTheNextHandshake()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Equal("max.per.address: 0 -> 1 (from the next handshake on)", server.RunCommand("set max.per.address 1"));

        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectRawAsync();
        Assert.Equal(Refusal.AddressLimit, (await second.ReceiveHandshakeAsync()).Refusal);
    }

    [Theory]
    [InlineData("set max.users 0", "set: '0' is not a whole number from 1 to 10000000")]
    [InlineData("set max.users many", "set: 'many' is not a whole number from 1 to 10000000")]
    [InlineData("set max.users 1.5", "set: '1.5' is not a whole number from 1 to 10000000")]
    [InlineData("set max.per.address -1", "set: '-1' is not a whole number from 0 to 10000000")]
    [InlineData("set max.userz 5", "set: 'max.userz' is not a setting; one of max.users, max.per.address")]
    [InlineData("set max.users", "set: needs a name and a value")]
    public async Task SetWithABadNameOrValueChangesNothing(string line, string error)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "7" });

        Assert.Equal($"{error} (usage: set [NAME VALUE] [--json])", server.RunCommand(line));

        Assert.Equal(7, server.Hub.MaxUsers);
        Assert.Equal(0, server.Hub.MaxConnectionsPerAddress);
    }

    [Fact]
    public async Task SetAloneListsTheLimitsThatCanChange()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "7" });

        var reply = server.RunCommand("set");

        Assert.Matches(@"(?m)^max\.users\s+7\s+1\.\.10000000\s", reply);
        Assert.Matches(@"(?m)^max\.per\.address\s+0\s+0\.\.10000000\s", reply);
    }

    [Fact]
    public async Task StatsCountsHandshakesDisconnectsAndTraffic()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "2" });
        await using var first = await server.ConnectAsync();
        var second = await server.ConnectAsync();
        await using (var refused = await server.ConnectRawAsync())
        {
            Assert.True((await refused.ReceiveHandshakeAsync()).Error);
        }

        await first.SendAsync(-1, "hello all");
        await first.ReceiveMessageAsync();
        await second.ReceiveMessageAsync();
        await second.DisposeAsync();
        await server.WaitForUserCountAsync(1);

        var text = server.RunCommand("stats");
        Assert.Matches(@"(?m)^users\s+1 now, 2 at peak, limit 2, per address no limit$", text);
        Assert.Matches(@"(?m)^handshakes\s+2 accepted, refused: ServerFull 1$", text);
        Assert.Matches(@"(?m)^disconnects\s+ClientClosed 1$", text);
        Assert.Matches(@"(?m)^messages\.in\s+1\s", text);
        Assert.Matches(@"(?m)^deliveries\s+1\s", text);
        Assert.Matches(@"(?m)^memory\s+heap \d", text);

        using var json = JsonDocument.Parse(server.RunCommand("stats --json"));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("users").GetProperty("now").GetInt32());
        Assert.Equal(2, root.GetProperty("users").GetProperty("peak").GetInt32());
        Assert.Equal(2, root.GetProperty("handshakes").GetProperty("accepted").GetInt64());
        Assert.Equal(1, root.GetProperty("handshakes").GetProperty("refused").GetProperty("ServerFull").GetInt64());
        Assert.Equal(1, root.GetProperty("disconnects").GetProperty("ClientClosed").GetInt64());
        Assert.False(root.GetProperty("disconnects").TryGetProperty("Refused", out _), "a refusal is a handshake, not a user's disconnect");
        Assert.Equal(1, root.GetProperty("traffic").GetProperty("messages_in").GetInt64());
        Assert.Equal(1, root.GetProperty("traffic").GetProperty("deliveries").GetInt64());
        Assert.True(root.GetProperty("memory").GetProperty("heap_bytes").GetInt64() > 0);
    }

    [Fact]
    public async Task StatsRatesFollowTheSamplerOnTheServersClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var server = await TestServer.StartAsync(timeProvider: clock);
        await using var user = await server.ConnectAsync();

        await SendAndAwaitEchoesAsync(user, 5);
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterOne = Rates(server);
        Assert.Equal(5.0, afterOne["1s"]);
        Assert.Equal(5.0, afterOne["10s"]);

        await SendAndAwaitEchoesAsync(user, 10);
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterTwo = Rates(server);
        Assert.Equal(10.0, afterTwo["1s"]);
        Assert.Equal(7.5, afterTwo["10s"]);
        Assert.Equal(7.5, afterTwo["60s"]);

        clock.Advance(TimeSpan.FromSeconds(8));
        var afterTen = Rates(server);
        Assert.Equal(0.0, afterTen["1s"]);
        Assert.Equal(1.5, afterTen["10s"]);
        Assert.Matches(@"(?m)^uptime\s+10s ", server.RunCommand("stats"));
    }

    [Fact]
    public async Task EveryDataCommandAnswersInJson()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();

        foreach (var line in new[] { "num.users", "list.users", $"show.user {user.Id}", "stats", "closed.users", "set", "help", "help kick" })
        {
            var reply = server.RunCommand($"{line} --json");
            Assert.DoesNotContain('\n', reply);
            using var json = JsonDocument.Parse(reply);
        }

        using var users = JsonDocument.Parse(server.RunCommand("num.users --json"));
        Assert.Equal(1, users.RootElement.GetProperty("users").GetInt32());
        using var error = JsonDocument.Parse(server.RunCommand("show.user 99 --json"));
        Assert.StartsWith("show.user: no user 99", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpExplainsEveryCommand()
    {
        await using var server = await TestServer.StartAsync();

        var help = server.RunCommand("help");

        foreach (var usage in new[] { "num.users", "list.users [N]", "show.user ID", "kick ID [reason]", "say TEXT", "stats", "closed.users [N]", "set [NAME VALUE]", "shutdown [seconds]", "help [command]" })
        {
            Assert.Contains(usage, help, StringComparison.Ordinal);
        }

        Assert.StartsWith("kick ID [reason]  disconnect a user", server.RunCommand("help kick"), StringComparison.Ordinal);
        Assert.Equal("unknown command 'kik'; type 'help' for the list", server.RunCommand("help kik"));
    }

    internal static async Task SendAndAwaitEchoesAsync(TestConnection user, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await user.SendAsync(0, $"message {i}");
        }

        for (var i = 0; i < count; i++)
        {
            await user.ReceiveMessageAsync();
        }
    }

    private static Dictionary<string, double> Rates(TestServer server)
    {
        using var json = JsonDocument.Parse(server.RunCommand("stats --json"));
        return json.RootElement.GetProperty("rates").EnumerateObject()
            .ToDictionary(window => window.Name, window => window.Value.GetProperty("messages_in").GetDouble());
    }
}
