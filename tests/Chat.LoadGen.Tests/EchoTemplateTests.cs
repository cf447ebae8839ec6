using System.Globalization;
using System.Text;
using Chat.LoadGen.Echo;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.LoadGen.Tests;

public class EchoTemplateTests
{
    private const long OwnId = 42;

    private static readonly EchoTemplate Template = new(32);

    [Fact]
    public void TheServersEchoOfTheSentMessagePasses()
    {
        Assert.Null(Template.Verify(Echo(OwnId, 0, Msg(7)), OwnId, 7));
    }

    [Fact]
    public void TheSentFrameIsTheTemplateWithItsSequenceNumber()
    {
        var frame = (byte[])Template.Frame.Clone();
        Template.WriteSequence(frame, 123);

        var sent = ChatMessage.Parser.ParseFrom(frame.AsSpan(1));

        Assert.Equal(0, sent.To);
        Assert.Equal(Msg(123), sent.Msg);
    }

    [Fact]
    public void ALaterSequenceNumberIsALoss()
    {
        Assert.Contains("lost", Template.Verify(Echo(OwnId, 0, Msg(9)), OwnId, 7), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEarlierSequenceNumberIsADuplicateOrAReordering()
    {
        Assert.Contains("duplicated or reordered", Template.Verify(Echo(OwnId, 0, Msg(6)), OwnId, 7), StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongStampIsAnError()
    {
        Assert.Contains("stamped from 41", Template.Verify(Echo(41, 0, Msg(7)), OwnId, 7), StringComparison.Ordinal);
    }

    [Fact]
    public void AServerNoticeInsteadOfAnEchoIsAnErrorThatQuotesIt()
    {
        Assert.Contains("user 9 is not connected", Template.Verify(Echo(0, OwnId, "user 9 is not connected"), OwnId, 7), StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedToOrMsgIsAnError()
    {
        Assert.NotNull(Template.Verify(Echo(OwnId, 5, Msg(7)), OwnId, 7));
        var changed = Msg(7).ToCharArray();
        changed[^1] = '!';
        Assert.NotNull(Template.Verify(Echo(OwnId, 0, new string(changed)), OwnId, 7));
        Assert.NotNull(Template.Verify(Echo(OwnId, 0, Msg(7) + "x"), OwnId, 7));
    }

    [Fact]
    public void AMalformedBodyIsAnError()
    {
        var body = Echo(OwnId, 0, Msg(7));
        Assert.NotNull(Template.Verify(body.AsSpan(0, body.Length - 1), OwnId, 7));
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        // Field 4, varint 1, after the known fields (PROTOCOL.md: unknown fields are ignored).
        byte[] body = [.. Echo(OwnId, 0, Msg(7)), 0x20, 0x01];
        Assert.Null(Template.Verify(body, OwnId, 7));
    }

    private static string Msg(long sequence)
    {
        var builder = new StringBuilder(sequence.ToString("D10", CultureInfo.InvariantCulture));
        for (var index = EchoTemplate.SequenceDigits; index < 32; index++)
        {
            builder.Append((char)('a' + (index % 26)));
        }

        return builder.ToString();
    }

    private static byte[] Echo(long from, long to, string msg) =>
        new ChatMessage { From = from, To = to, Msg = msg }.ToByteArray();
}
