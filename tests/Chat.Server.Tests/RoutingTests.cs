using Chat.TestKit;

namespace Chat.Server.Tests;

public class RoutingTests
{
    [Fact]
    public async Task DirectMessageReachesOnlyItsRecipient()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();
        await using var carol = await server.ConnectAsync();

        await alice.SendAsync(bob.Id, "psst");
        var echo = await alice.ReceiveMessageAsync();
        var delivered = await bob.ReceiveMessageAsync();

        Assert.Equal((alice.Id, bob.Id, "psst"), (echo.From, echo.To, echo.Msg));
        Assert.Equal(echo, delivered);
        Assert.Empty(await carol.BarrierAsync());
        Assert.Empty(await bob.BarrierAsync());
    }

    [Fact]
    public async Task BroadcastReachesEveryOtherUserOnceAndTheSenderOnlyAsEcho()
    {
        await using var server = await TestServer.StartAsync();
        var users = new List<TestConnection>();
        for (var index = 0; index < 4; index++)
        {
            users.Add(await server.ConnectAsync());
        }

        await users[0].SendAsync(-1, "hello all");
        var echo = await users[0].ReceiveMessageAsync();

        Assert.Equal((users[0].Id, -1L, "hello all"), (echo.From, echo.To, echo.Msg));
        foreach (var other in users.Skip(1))
        {
            Assert.Equal(echo, await other.ReceiveMessageAsync());
            Assert.Empty(await other.BarrierAsync());
        }

        Assert.Empty(await users[0].BarrierAsync());
        foreach (var user in users)
        {
            await user.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(99)]
    [InlineData(-5)]
    public async Task UnknownRecipientGetsTheEchoThenANoticeFromZero(long to)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();

        await client.SendAsync(to, "anyone?");
        var echo = await client.ReceiveMessageAsync();
        var notice = await client.ReceiveMessageAsync();

        Assert.Equal((client.Id, to, "anyone?"), (echo.From, echo.To, echo.Msg));
        Assert.Equal(0, notice.From);
        Assert.Equal(client.Id, notice.To);
        Assert.Contains($"{to}", notice.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageToYourselfOrToZeroIsOnlyEchoed()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await using var other = await server.ConnectAsync();

        await client.SendAsync(client.Id, "note to self");
        await client.SendAsync(0, "echo only");

        Assert.Equal("note to self", (await client.ReceiveMessageAsync()).Msg);
        Assert.Equal("echo only", (await client.ReceiveMessageAsync()).Msg);
        Assert.Empty(await client.BarrierAsync());
        Assert.Empty(await other.BarrierAsync());
    }

    [Fact]
    public async Task WhatOneSenderSendsOneRecipientArrivesInOrder()
    {
        await using var server = await TestServer.StartAsync();
        await using var sender = await server.ConnectAsync();
        await using var recipient = await server.ConnectAsync();

        for (var index = 0; index < 300; index++)
        {
            await sender.SendAsync(index % 2 == 0 ? recipient.Id : -1, $"{index}");
        }

        for (var index = 0; index < 300; index++)
        {
            Assert.Equal($"{index}", (await recipient.ReceiveMessageAsync()).Msg);
        }
    }

    [Fact]
    public async Task OnceTheSenderHoldsItsEchoTheRecipientsCopyIsAlreadyQueued()
    {
        await using var server = await TestServer.StartAsync();
        await using var sender = await server.ConnectAsync();
        await using var recipient = await server.ConnectAsync();

        await sender.SendAsync(recipient.Id, "first");
        await sender.ReceiveMessageAsync();
        await recipient.SendAsync(recipient.Id, "after");

        Assert.Equal("first", (await recipient.ReceiveMessageAsync()).Msg);
        Assert.Equal("after", (await recipient.ReceiveMessageAsync()).Msg);
    }
}
