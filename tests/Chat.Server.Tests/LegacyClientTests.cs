using Chat.Server.Tests.Legacy;
using Chat.TestKit;

namespace Chat.Server.Tests;

public class LegacyClientTests
{
    [Fact]
    public async Task ClientWithTheOriginalTwoFieldHandshakeParsesEveryFrame()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "2" });
        await using var first = await server.ConnectRawAsync();
        await using var second = await server.ConnectRawAsync();

        var accepted = await first.ReceiveAsync(Handshake.Parser);
        var alsoAccepted = await second.ReceiveAsync(Handshake.Parser);
        await using var third = await server.ConnectRawAsync();
        var refused = await third.ReceiveAsync(Handshake.Parser);

        Assert.False(accepted.Error);
        Assert.True(accepted.Id > 0);
        Assert.True(refused.Error);
        Assert.Equal(0, refused.Id);

        await first.SendAsync(new Protocol.ChatMessage { To = alsoAccepted.Id, Msg = "hi" });
        await first.SendAsync(new Protocol.ChatMessage { To = 42, Msg = "nobody" });
        var echo = await first.ReceiveAsync(ChatMessage.Parser);
        var delivered = await second.ReceiveAsync(ChatMessage.Parser);
        await first.ReceiveAsync(ChatMessage.Parser);
        var notice = await first.ReceiveAsync(ChatMessage.Parser);

        Assert.Equal((accepted.Id, alsoAccepted.Id, "hi"), (echo.From, echo.To, echo.Msg));
        Assert.Equal(echo, delivered);
        Assert.Equal(0, notice.From);
        Assert.Contains("42", notice.Msg, StringComparison.Ordinal);
    }
}
