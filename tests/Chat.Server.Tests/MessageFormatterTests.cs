using Chat.Client.Console;
using Chat.Protocol;

namespace Chat.Server.Tests;

/// <summary>How the .NET console client shows incoming text: never as terminal commands, always on one line.</summary>
public class MessageFormatterTests
{
    public static TheoryData<string, string> HostileCases => HostileText.Cases();

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void ControlAndBidiCharactersInAMessageAreShownVisiblyOnOneLine(string sent, string shown)
    {
        var line = MessageFormatter.Format(new ChatMessage { From = 2, To = 1, Msg = sent }, ownId: 1);

        Assert.Equal($"[2 -> me] {shown}", line);
    }

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void ControlAndBidiCharactersInANoticeAreShownVisiblyOnOneLine(string sent, string shown)
    {
        var line = MessageFormatter.Format(new ChatMessage { From = 0, To = 1, Msg = sent }, ownId: 1);

        Assert.Equal($"* server: {shown}", line);
    }

    [Fact]
    public void AMessageFromAUserCannotStartALineThatLooksLikeANotice()
    {
        var forged = MessageFormatter.Format(new ChatMessage { From = 7, To = -1, Msg = "ok\r\n* server: you were kicked\n" }, ownId: 1);

        Assert.Equal(@"[7 -> all] ok\r\n* server: you were kicked\n", forged);
    }
}
