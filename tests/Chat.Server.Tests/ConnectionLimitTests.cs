using Chat.Protocol;
using Chat.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests;

public class ConnectionLimitTests
{
    [Fact]
    public async Task AddressAtItsLimitIsRefusedWithAddressLimitUntilOneLeaves()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxConnectionsPerAddress"] = "2" });
        var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        await using var third = await server.ConnectRawAsync();
        var refusal = await third.ReceiveHandshakeAsync();

        Assert.True(refusal.Error);
        Assert.Equal(Refusal.AddressLimit, refusal.Refusal);
        Assert.Contains("too many connections from 127.0.0.1 (at most 2)", refusal.Reason, StringComparison.Ordinal);
        Assert.Empty(await third.ExpectClosedAsync());
        Assert.Equal("2", server.RunCommand("num.users"));

        await first.DisposeAsync();
        await server.WaitForUserCountAsync(1);
        await using var again = await server.ConnectAsync();
        Assert.True(again.Id > second.Id);
    }

    [Fact]
    public async Task ConnectionsPastTheAcceptRateAreRefusedWithARetryHint()
    {
        var clock = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Chat:ConnectionRatePerSecond"] = "2", ["Chat:ConnectionBurst"] = "3" }, clock);
        var accepted = new List<TestConnection>();
        for (var index = 0; index < 3; index++)
        {
            accepted.Add(await server.ConnectAsync());
        }

        await using var tooFast = await server.ConnectRawAsync();
        var refusal = await tooFast.ReceiveHandshakeAsync();

        Assert.True(refusal.Error);
        Assert.Equal(Refusal.RateLimited, refusal.Refusal);
        Assert.Equal(500u, refusal.RetryAfterMs);
        Assert.Contains("too fast", refusal.Reason, StringComparison.Ordinal);

        // 500 ms buys exactly one more handshake at 2 a second, not two.
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await using var afterWaiting = await server.ConnectAsync();
        Assert.True(afterWaiting.Id > 0);
        await using var stillTooFast = await server.ConnectRawAsync();
        Assert.Equal(Refusal.RateLimited, (await stillTooFast.ReceiveHandshakeAsync()).Refusal);
        foreach (var connection in accepted)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task RefusalsAreCountedByReasonAndNeverAsUsers()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "1" });
        await using var user = await server.ConnectAsync();
        for (var index = 0; index < 3; index++)
        {
            await using var refused = await server.ConnectRawAsync();
            Assert.Equal(Refusal.ServerFull, (await refused.ReceiveHandshakeAsync()).Refusal);
        }

        Assert.Equal(3, server.Hub.Statistics.RefusedFor(Refusal.ServerFull));
        Assert.Equal(1, server.Hub.Statistics.HandshakesAccepted);
        Assert.Equal("1", server.RunCommand("num.users"));
    }
}
