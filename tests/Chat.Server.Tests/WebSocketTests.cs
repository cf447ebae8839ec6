using System.Net.WebSockets;
using System.Text;
using Chat.Protocol;
using Chat.Server.Sessions;
using Chat.TestKit;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests;

/// <summary>PROTOCOL.md, "WebSocket": the same sessions through /ws, in both subprotocols.</summary>
public class WebSocketTests
{
    private static readonly Dictionary<string, string?> WithHttp = new() { ["Chat:HttpPort"] = "0" };

    [Theory]
    [InlineData("chat.v1", "chat.v1")]
    [InlineData("chat.v1.json", "chat.v1.json")]
    [InlineData(null, null)]
    public async Task HandshakeAndEchoWorkInEachSubprotocol(string? requested, string? chosen)
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var client = await TestWebSocket.ConnectAsync(server.HttpEndPoint, requested);

        var handshake = await client.ReceiveHandshakeAsync();
        Assert.False(handshake.Error);
        Assert.True(handshake.Id > 0);
        Assert.Equal(chosen, client.Subprotocol);

        await client.SendAsync(new ChatMessage { From = 99, To = 0, Msg = "héllo" });
        var echo = await client.ReceiveMessageAsync();
        Assert.Equal(new ChatMessage { From = handshake.Id, To = 0, Msg = "héllo" }, echo);
    }

    [Fact]
    public async Task JsonCarriesInt64AsStringsAndAcceptsNumbers()
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var client = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1.json");
        var (_, handshake) = await client.ReceiveRawAsync() ?? throw new InvalidOperationException("no handshake");
        var id = Encoding.UTF8.GetString(handshake);
        Assert.Matches("""^\{ ?"id": ?"\d+" ?\}$""", id);

        await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"to": 0, "msg": "n", "unknown": true}"""), WebSocketMessageType.Text);
        var (_, echo) = await client.ReceiveRawAsync() ?? throw new InvalidOperationException("no echo");
        Assert.Contains("\"from\": \"", Encoding.UTF8.GetString(echo).Replace("\":\"", "\": \"", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat.v1")]
    [InlineData("chat.v1.json")]
    public async Task WebSocketAndTcpUsersChatBothWays(string subprotocol)
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, subprotocol);
        await web.ReceiveHandshakeAsync();
        await using var tcp = await server.ConnectAsync();

        await web.SendAsync(tcp.Id, "to tcp");
        Assert.Equal(new ChatMessage { From = web.Id, To = tcp.Id, Msg = "to tcp" }, await web.ReceiveMessageAsync());
        Assert.Equal(new ChatMessage { From = web.Id, To = tcp.Id, Msg = "to tcp" }, await tcp.ReceiveMessageAsync());

        await tcp.SendAsync(web.Id, "to web");
        Assert.Equal(new ChatMessage { From = tcp.Id, To = web.Id, Msg = "to web" }, await tcp.ReceiveMessageAsync());
        Assert.Equal(new ChatMessage { From = tcp.Id, To = web.Id, Msg = "to web" }, await web.ReceiveMessageAsync());

        await web.SendAsync(-1, "web to all");
        Assert.Equal("web to all", (await web.ReceiveMessageAsync()).Msg);
        Assert.Equal(new ChatMessage { From = web.Id, To = -1, Msg = "web to all" }, await tcp.ReceiveMessageAsync());

        await tcp.SendAsync(-1, "tcp to all");
        Assert.Equal("tcp to all", (await tcp.ReceiveMessageAsync()).Msg);
        Assert.Equal(new ChatMessage { From = tcp.Id, To = -1, Msg = "tcp to all" }, await web.ReceiveMessageAsync());

        var users = server.RunCommand("list.users");
        Assert.Matches($@"(?m)^\s*{web.Id}\s+127\.0\.0\.1:\d+\s+ws\s", users);
        Assert.Matches($@"(?m)^\s*{tcp.Id}\s+127\.0\.0\.1:\d+\s+tcp\s", users);
    }

    [Fact]
    public async Task UnknownRecipientGetsTheNoticeOverWebSocket()
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1.json");
        await web.ReceiveHandshakeAsync();

        await web.SendAsync(12345, "anyone?");
        Assert.Equal("anyone?", (await web.ReceiveMessageAsync()).Msg);
        var notice = await web.ReceiveMessageAsync();
        Assert.Equal(0, notice.From);
        Assert.Equal(web.Id, notice.To);
    }

    [Fact]
    public async Task OversizedMessageClosesWith1009AndATcpBystanderKeepsChatting()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>(WithHttp) { ["Chat:MaxFrameLength"] = "100" });
        await using var bystander = await server.ConnectAsync();
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1");
        await web.ReceiveHandshakeAsync();

        // At the limit is allowed; one byte more is not.
        var atLimit = new ChatMessage { To = 0, Msg = new string('a', 98) }.ToByteArray();
        Assert.Equal(100, atLimit.Length);
        await web.SendRawAsync(atLimit, WebSocketMessageType.Binary);
        Assert.Equal(98, (await web.ReceiveMessageAsync()).Msg.Length);
        await web.SendRawAsync(new byte[101], WebSocketMessageType.Binary);

        var (_, status) = await web.ExpectClosedAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        await server.WaitForUserCountAsync(1);
        await bystander.SendAsync(-1, "still here");
        Assert.Equal("still here", (await bystander.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task TextOnChatV1ClosesWith1008()
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1");
        await web.ReceiveHandshakeAsync();

        await web.SendRawAsync(Encoding.UTF8.GetBytes("""{"to":"0","msg":"hi"}"""), WebSocketMessageType.Text);

        var (before, status) = await web.ExpectClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains(before, message => message.From == 0 && message.Msg.Contains("protocol violation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"to": "0", "msg": """)]
    [InlineData("""{"to": "zero"}""")]
    [InlineData("not json")]
    public async Task InvalidJsonClosesWith1008(string text)
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1.json");
        await web.ReceiveHandshakeAsync();

        await web.SendRawAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

        var (_, status) = await web.ExpectClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Theory]
    [InlineData("chat.v1")]
    [InlineData("chat.v1.json")]
    public async Task FullServerRefusesAWebSocketClientWith1008(string subprotocol)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>(WithHttp) { ["Chat:MaxUsers"] = "1" });
        await using var tcp = await server.ConnectAsync();
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, subprotocol);

        var handshake = await web.ReceiveHandshakeAsync();

        Assert.True(handshake.Error);
        Assert.Equal(Refusal.ServerFull, handshake.Refusal);
        var (_, status) = await web.ExpectClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("1", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task TransientRefusalClosesWith1013()
    {
        // A fake clock never refills the accept bucket: after the first connection, the next is refused.
        var clock = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?>(WithHttp) { ["Chat:ConnectionRatePerSecond"] = "1", ["Chat:ConnectionBurst"] = "1" }, clock);
        await using var tcp = await server.ConnectAsync();
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1.json");

        var handshake = await web.ReceiveHandshakeAsync();

        Assert.Equal(Refusal.RateLimited, handshake.Refusal);
        Assert.True(handshake.RetryAfterMs > 0);
        var (_, status) = await web.ExpectClosedAsync();
        Assert.Equal((WebSocketCloseStatus)1013, status);
    }

    [Fact]
    public async Task KickClosesNormallyAfterTheNotice()
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1");
        await web.ReceiveHandshakeAsync();

        server.RunCommand($"kick {web.Id}");

        var (before, status) = await web.ExpectClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Contains(before, message => message.From == 0);
        Assert.Equal("0", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task WebSocketClientThatNeverReadsIsCutOffAndItsSenderGoesOn()
    {
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?>(WithHttp) { ["Chat:MaxQueuedBytesPerConnection"] = "200000" });
        await using var stalled = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1");
        await stalled.ReceiveHandshakeAsync();
        await using var sender = await server.ConnectAsync();

        // 200 x 60 KB is far past the 200 KB bound, the 64 KiB pipe and the socket buffers.
        var payload = new string('x', 60_000);
        for (var index = 0; index < 200 && server.Hub.Statistics.DisconnectsFor(DisconnectReason.SlowConsumer) == 0; index++)
        {
            await sender.SendAsync(stalled.Id, payload);
            while ((await sender.ReceiveMessageAsync()).From != sender.Id)
            {
            }
        }

        await server.WaitForUserCountAsync(1);
        Assert.Equal(1, server.Hub.Statistics.DisconnectsFor(DisconnectReason.SlowConsumer));

        // The sender still chats; before its echo come at most notices that the stalled user is gone.
        Assert.All(await sender.BarrierAsync(), message => Assert.Equal(0, message.From));
    }

    [Fact]
    public async Task ShutdownClosesWith1001AfterTheNotice()
    {
        await using var server = await TestServer.StartAsync(WithHttp);
        await using var web = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1.json");
        await web.ReceiveHandshakeAsync();

        server.Hub.CloseAll(DisconnectReason.Shutdown, "the server is shutting down");

        var (before, status) = await web.ExpectClosedAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Contains(before, message => message.From == 0 && message.Msg == "the server is shutting down");
    }

    [Fact]
    public async Task UnknownSubprotocolIsRefusedBeforeTheUpgrade()
    {
        await using var server = await TestServer.StartAsync(WithHttp);

        var failure = await Assert.ThrowsAsync<WebSocketException>(() => TestWebSocket.ConnectAsync(server.HttpEndPoint, "mqtt"));
        Assert.Contains("400", failure.Message, StringComparison.Ordinal);
        Assert.Equal("0", server.RunCommand("num.users"));
    }
}
