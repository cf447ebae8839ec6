using System.Buffers;
using System.Text;

namespace Chat.Protocol.Tests;

public class FrameWriterTests
{
    [Theory]
    [InlineData("08080110021A026869")]
    public void WritesTheContractsChatMessageExample(string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(FrameWriter.ToFrame(new ChatMessage { From = 1, To = 2, Msg = "hi" })));
    }

    [Fact]
    public void WritesTheContractsHandshakeExamples()
    {
        Assert.Equal("020805", Convert.ToHexString(FrameWriter.ToFrame(new Handshake { Id = 5 })));
        Assert.Equal("081001 1A0466756C6C".Replace(" ", "", StringComparison.Ordinal),
            Convert.ToHexString(FrameWriter.ToFrame(new Handshake { Error = true, Reason = "full" })));
        Assert.Equal("0A10011A0466756C6C2001",
            Convert.ToHexString(FrameWriter.ToFrame(new Handshake { Error = true, Reason = "full", Refusal = Refusal.ServerFull })));
    }

    [Fact]
    public void WriteFrameIntoABufferWriterMatchesToFrame()
    {
        var message = new ChatMessage { From = 7, To = -1, Msg = new string('é', 200) };
        var writer = new ArrayBufferWriter<byte>();

        FrameWriter.WriteFrame(writer, message);

        Assert.Equal(FrameWriter.ToFrame(message), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void InvalidUtf8InMsgIsAViolation()
    {
        // Field 3 (msg), length 2, bytes C3 28: an invalid two-byte sequence.
        var body = new ReadOnlySequence<byte>([0x1A, 0x02, 0xC3, 0x28]);

        var violation = Assert.Throws<ProtocolViolationException>(() => MessageDecoder.Parse(ChatMessage.Parser, body));

        Assert.Contains("UTF-8", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BodyThatIsNotAChatMessageIsAViolation()
    {
        // Field 3 announces 16 bytes of text but the body ends after 2.
        var body = new ReadOnlySequence<byte>([0x1A, 0x10, 0x68, 0x69]);

        var violation = Assert.Throws<ProtocolViolationException>(() => MessageDecoder.Parse(ChatMessage.Parser, body));

        Assert.Contains("ChatMessage", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFieldsAreIgnored()
    {
        // Field 9 (varint 1), then msg "ok".
        var body = new ReadOnlySequence<byte>([0x48, 0x01, .. Encoding.UTF8.GetBytes("\u001A\u0002ok")]);

        Assert.Equal("ok", MessageDecoder.Parse(ChatMessage.Parser, body).Msg);
    }
}
