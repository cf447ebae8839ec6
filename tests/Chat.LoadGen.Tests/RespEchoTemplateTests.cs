using System.Buffers;
using System.Text;
using Chat.LoadGen.Echo;

namespace Chat.LoadGen.Tests;

public class RespEchoTemplateTests
{
    private static readonly RespEchoTemplate Template = new(20);

    [Fact]
    public void TheMessageIsAnEchoCommandOfTheChatMessagesText()
    {
        var frame = Template.Frame.ToArray();
        Template.WriteSequence(frame, 42);

        Assert.Equal("*2\r\n$4\r\nECHO\r\n$20\r\n0000000042klmnopqrst\r\n", Encoding.ASCII.GetString(frame));
    }

    [Fact]
    public void RepliesAreReadOneAtATimeAndCheckedInOrder()
    {
        var buffer = Sequence("$20\r\n0000000007klmnopqrst\r\n$20\r\n0000000008klmnopqrst\r\n$20\r\n00000");

        Assert.True(Template.TryReadReply(ref buffer, out var first));
        Assert.Null(Template.Verify(first, 1, 7));
        Assert.True(Template.TryReadReply(ref buffer, out var second));
        Assert.Equal("reply 8 duplicated or reordered: expected 9", Template.Verify(second, 1, 9));
        Assert.False(Template.TryReadReply(ref buffer, out _));
        Assert.Equal(10, buffer.Length);
    }

    [Fact]
    public void AnErrorReplyIsReportedWithItsText()
    {
        var buffer = Sequence("-ERR unknown command 'ECHO'\r\n");

        Assert.True(Template.TryReadReply(ref buffer, out var reply));
        Assert.Equal("not the bulk reply of 20 bytes ECHO gives: -ERR unknown command 'ECHO'", Template.Verify(reply, 1, 0));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void ABulkReplyOfAnotherTextOrLengthFails()
    {
        var changed = Sequence("$20\r\n0000000000XXXXXXXXXX\r\n");
        var shorter = Sequence("$5\r\nhello\r\n...................");

        Assert.True(Template.TryReadReply(ref changed, out var reply));
        Assert.Equal("msg differs from what was sent", Template.Verify(reply, 1, 0));
        Assert.True(Template.TryReadReply(ref shorter, out reply));
        Assert.StartsWith("not the bulk reply of 20 bytes", Template.Verify(reply, 1, 0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$5\r\nhello\r\n", "$5")]
    [InlineData("$-1\r\n", "$-1")]
    [InlineData("$200\r\n", "$200")]
    public void AWrongBulkReplyThatComesLastIsTakenAndReported(string text, string shown)
    {
        var buffer = Sequence(text);

        Assert.True(Template.TryReadReply(ref buffer, out var reply));
        Assert.Equal($"not the bulk reply of 20 bytes ECHO gives: {shown}", Template.Verify(reply, 1, 0));
    }

    [Fact]
    public void APartOfTheExpectedHeaderWaitsForMore()
    {
        var buffer = Sequence("$2");

        Assert.False(Template.TryReadReply(ref buffer, out _));
        Assert.Equal(2, buffer.Length);
    }

    private static ReadOnlySequence<byte> Sequence(string text) => new(Encoding.ASCII.GetBytes(text));
}
