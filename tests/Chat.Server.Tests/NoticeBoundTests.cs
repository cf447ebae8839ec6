using System.Text;
using Chat.Client;
using Chat.Server.Sessions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>Text the server originates always fits what a conforming client accepts (PROTOCOL.md, "Transport and framing").</summary>
public class NoticeBoundTests
{
    [Fact]
    public async Task SayPastTheNoticeBoundIsRefusedAndReachesNobody()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();

        var reply = server.RunCommand("say " + new string('x', 70_000));

        Assert.StartsWith("say: the text is too long", reply, StringComparison.Ordinal);
        Assert.Contains("at most 4096", reply, StringComparison.Ordinal);
        Assert.Empty(await user.BarrierAsync());
    }

    [Fact]
    public async Task KickWithAReasonPastTheBoundIsRefusedAndTheUserStays()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();

        var reply = server.RunCommand($"kick {user.Id} " + new string('x', 70_000));

        Assert.StartsWith("kick: the reason is too long", reply, StringComparison.Ordinal);
        Assert.Empty(await user.BarrierAsync());
        Assert.Equal("1", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task TheLongestSayReachesTheClientLibraryIntact()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ChatClient.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port);
        // Multi-byte characters: the bound counts UTF-8 bytes, not characters.
        var text = string.Concat(Enumerable.Repeat("é", ServerNotices.MaxTextBytes / 2));

        Assert.Equal("sent to 1 users", server.RunCommand("say " + text));

        var notice = await client.ReceiveAsync().AsTask().WaitAsync(TestTimeouts.Default);
        Assert.NotNull(notice);
        Assert.Equal(0, notice.From);
        Assert.Equal(text, notice.Msg);
    }

    [Fact]
    public void NoticeTextFromElsewhereIsCutAtACharacterBoundary()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 70_000));

        var notice = ServerNotices.Create(7, text);

        Assert.True(Encoding.UTF8.GetByteCount(notice.Msg) <= ServerNotices.MaxTextBytes);
        Assert.EndsWith("😀…", notice.Msg, StringComparison.Ordinal);
    }
}
