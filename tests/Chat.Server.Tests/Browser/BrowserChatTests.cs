using System.Text.RegularExpressions;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests.Browser;

/// <summary>Issue 11: the chat page in a real browser, chatting with another page and a TCP client.</summary>
public class BrowserChatTests
{
    [Fact]
    public async Task TwoPagesAndATcpClientChatInEveryDirection()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        using var driver = ChatBrowser.Start();
        var address = new Uri($"http://{server.HttpEndPoint}/");
        var first = ChatPage.Open(driver, address, newWindow: false);
        var second = ChatPage.Open(driver, address, newWindow: true);
        await using var tcp = await server.ConnectAsync();

        // A page to everyone: the other page and the TCP client get it, and the sender sees it as its own.
        first.Send("hello from a page");
        second.WaitForMessage($"user {first.Id}, to everyone", "hello from a page");
        Assert.Equal(new ChatMessage { From = first.Id, To = -1, Msg = "hello from a page" }, await tcp.ReceiveMessageAsync());
        first.WaitForMessage("me, to everyone", "hello from a page");

        // A page to one user: another page, then the TCP client.
        second.Send($"@{first.Id} just you");
        first.WaitForMessage($"user {second.Id}, to me", "just you");
        second.Send($"@{tcp.Id} <b>not bold</b>");
        Assert.Equal(new ChatMessage { From = second.Id, To = tcp.Id, Msg = "<b>not bold</b>" }, await tcp.ReceiveMessageAsync());

        // The TCP client to everyone and to one page; markup arrives as text.
        await tcp.SendAsync(-1, "from the terminal");
        first.WaitForMessage($"user {tcp.Id}, to everyone", "from the terminal");
        second.WaitForMessage($"user {tcp.Id}, to everyone", "from the terminal");
        await tcp.SendAsync(second.Id, "<img src=x onerror=alert(1)>");
        second.WaitForMessage($"user {tcp.Id}, to me", "<img src=x onerror=alert(1)>");

        second.SaveScreenshot(Path.Combine(AppContext.BaseDirectory, "chat-page.png"));
    }

    [Fact]
    public async Task UnknownRecipientNoticeIsShownBesideTheMessage()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        using var driver = ChatBrowser.Start();
        var page = ChatPage.Open(driver, new Uri($"http://{server.HttpEndPoint}/"), newWindow: false);

        page.Send("@999 anyone?");

        page.WaitForMessage("me, to user 999", "anyone?");
        page.WaitForNotice("server: user 999 is not connected");
    }

    [Fact]
    public async Task PageRefusedByAFullServerShowsWhy()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0", ["Chat:MaxUsers"] = "1" });
        await using var tcp = await server.ConnectAsync();
        using var driver = ChatBrowser.Start();

        var status = ChatPage.OpenExpectingStatus(driver, new Uri($"http://{server.HttpEndPoint}/"), new Regex("^refused: "));

        Assert.Contains("full", status, StringComparison.Ordinal);
        Assert.Contains("SERVER_FULL", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageShowsALostConnectionAndReconnects()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        using var driver = ChatBrowser.Start();
        var page = ChatPage.Open(driver, new Uri($"http://{server.HttpEndPoint}/"), newWindow: false);

        server.RunCommand($"kick {page.Id}");

        ChatPage.WaitForStatus(driver, new Regex("^connection lost"));
        var again = ChatPage.WaitForStatus(driver, new Regex(@"^you are user \d+$"));
        Assert.NotEqual($"you are user {page.Id}", again);
        await server.WaitForUserCountAsync(1);
    }
}
