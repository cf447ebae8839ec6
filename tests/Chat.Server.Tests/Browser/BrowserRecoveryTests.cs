using System.Text.RegularExpressions;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests.Browser;

/// <summary>Issue 11: the chat page in a real browser when things go wrong: a server restart, a message too big.</summary>
public class BrowserRecoveryTests
{
    [Fact]
    public async Task PageReconnectsByItselfAfterTheServerRestartsOnTheSamePort()
    {
        var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        var httpPort = server.HttpEndPoint.Port;
        using var driver = ChatBrowser.Start();
        var page = ChatPage.Open(driver, new Uri($"http://{server.HttpEndPoint}/"), newWindow: false);

        await server.DisposeAsync();
        page.WaitForStatus(new Regex(@"^connection lost \(1001"));

        // A new server process would bind the same port; a new server in this one does the same.
        await using var restarted = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = $"{httpPort}" });
        var status = page.WaitForStatus(new Regex(@"^you are user \d+$"));
        await restarted.WaitForUserCountAsync(1);
        var id = long.Parse(status["you are user ".Length..], System.Globalization.CultureInfo.InvariantCulture);

        // And it chats on the new server, both ways.
        await using var tcp = await restarted.ConnectAsync();
        await tcp.SendAsync(-1, "welcome back");
        Assert.Equal("welcome back", (await tcp.ReceiveMessageAsync()).Msg);
        page.WaitForMessage($"user {tcp.Id}, to everyone", "welcome back");
        page.Send($"@{tcp.Id} thanks");
        Assert.Equal(new ChatMessage { From = id, To = tcp.Id, Msg = "thanks" }, await tcp.ReceiveMessageAsync());
    }

    [Fact]
    public async Task AMessageOverTheFrameLimitClosesOnlyThatPageWith1009()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0", ["Chat:MaxFrameLength"] = "1024" });
        using var driver = ChatBrowser.Start();
        var address = new Uri($"http://{server.HttpEndPoint}/");
        var bystander = ChatPage.Open(driver, address, newWindow: false);
        var sender = ChatPage.Open(driver, address, newWindow: true);
        await using var tcp = await server.ConnectAsync();

        sender.Paste(new string('x', 2000));

        var lost = sender.WaitForStatus(new Regex("^connection lost"));
        // The close frame arrives whole (not a reset, which a browser reports as 1006), with why.
        Assert.StartsWith("connection lost (1009: a WebSocket message over the limit of 1024 bytes)", lost, StringComparison.Ordinal);
        // Nobody else noticed: they got nothing, and they still chat with each other.
        await tcp.SendAsync(-1, "still here");
        Assert.Equal("still here", (await tcp.ReceiveMessageAsync()).Msg);
        bystander.WaitForMessage($"user {tcp.Id}, to everyone", "still here");
        Assert.Equal([$"user {tcp.Id}, to everyone: still here"], bystander.Messages());
        bystander.Send($"@{tcp.Id} and you?");
        Assert.Equal(new ChatMessage { From = bystander.Id, To = tcp.Id, Msg = "and you?" }, await tcp.ReceiveMessageAsync());
    }
}
