using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

public class HandshakeTests
{
    [Fact]
    public async Task HundredConcurrentConnectionsGetHundredDistinctPositiveIds()
    {
        await using var server = await TestServer.StartAsync();

        var connections = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => server.ConnectAsync()));

        var ids = connections.Select(connection => connection.Id).ToList();
        Assert.All(ids, id => Assert.True(id > 0));
        Assert.Equal(100, ids.Distinct().Count());
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectionPastMaxUsersIsRefusedAsServerFullThenClosed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "3" });
        var users = new List<TestConnection>();
        for (var index = 0; index < 3; index++)
        {
            users.Add(await server.ConnectAsync());
        }

        await using var refused = await server.ConnectRawAsync();
        var handshake = await refused.ReceiveHandshakeAsync();

        Assert.True(handshake.Error);
        Assert.Equal(0, handshake.Id);
        Assert.Equal(Refusal.ServerFull, handshake.Refusal);
        Assert.Contains("full", handshake.Reason, StringComparison.Ordinal);
        Assert.Empty(await refused.ExpectClosedAsync());
        Assert.Equal("3", server.RunCommand("num.users"));

        await users[0].DisposeAsync();
        await server.WaitForUserCountAsync(2);
        await using var newcomer = await server.ConnectAsync();
        Assert.True(newcomer.Id > users[2].Id);
        Assert.Equal("3", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task IdsAreNeverReusedAfterUsersLeave()
    {
        await using var server = await TestServer.StartAsync();
        var first = await server.ConnectAsync();
        var firstId = first.Id;
        await first.DisposeAsync();
        await server.WaitForUserCountAsync(0);

        await using var second = await server.ConnectAsync();

        Assert.Equal(1, firstId);
        Assert.Equal(2, second.Id);
    }

    [Fact]
    public async Task HandshakeIsTheFirstFrameEvenWhenABroadcastRacesIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var talker = await server.ConnectAsync();
        var flood = Task.Run(async () =>
        {
            for (var index = 0; index < 200; index++)
            {
                await talker.SendAsync(-1, $"m{index}");
            }
        });

        var newcomers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => server.ConnectRawAsync()));
        foreach (var newcomer in newcomers)
        {
            var first = await newcomer.ReceiveHandshakeAsync();
            Assert.False(first.Error);
            Assert.True(first.Id > 0);
            await newcomer.DisposeAsync();
        }

        await flood;
    }
}
