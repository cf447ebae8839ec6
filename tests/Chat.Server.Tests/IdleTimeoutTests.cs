using Chat.Server.Routing;
using Chat.Server.Sessions;
using Chat.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests;

public class IdleTimeoutTests
{
    [Fact]
    public async Task SilentConnectionGetsANoticeAndIsClosedWhileAnActiveOneStays()
    {
        var clock = new FakeTimeProvider();
        var timeout = TimeSpan.FromSeconds(60);
        var sweep = IdleSweeper.SweepInterval(timeout);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:IdleTimeout"] = "00:01:00" }, clock);
        await using var silent = await server.ConnectAsync();
        await using var active = await server.ConnectAsync();

        Assert.True(server.Hub.Registry.TryGet(silent.Id, out var silentSession));

        // Just before the timeout nobody is closed (the sweep runs inside Advance).
        clock.Advance(timeout - sweep);
        Assert.Null(silentSession.CloseReason);
        await active.SendAsync(0, "still here");
        Assert.Equal("still here", (await active.ReceiveMessageAsync()).Msg);

        // At the timeout the silent one goes; the active one spoke a sweep ago and stays.
        clock.Advance(sweep);
        var before = await silent.ExpectClosedAsync();

        var notice = Assert.Single(before);
        Assert.Equal(0, notice.From);
        Assert.Contains("no message for 60 s", notice.Msg, StringComparison.Ordinal);
        await server.WaitForUserCountAsync(1);
        Assert.Equal(DisconnectReason.IdleTimeout, server.Hub.ClosedConnections.Latest(1)[0].Reason);
        Assert.Contains("IdleTimeout", server.RunCommand("closed.users"), StringComparison.Ordinal);
        Assert.Empty(await active.BarrierAsync());
    }
}
