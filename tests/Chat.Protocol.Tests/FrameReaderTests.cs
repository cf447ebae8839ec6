using System.Buffers;

namespace Chat.Protocol.Tests;

public class FrameReaderTests
{
    private const int Limit = FrameLimits.DefaultMaxBodyLength;

    [Fact]
    public void ReadsTheContractsChatMessageExample()
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString("08080110021A026869"));

        Assert.True(FrameReader.TryReadFrame(ref buffer, Limit, out var body));

        var message = ChatMessage.Parser.ParseFrom(body);
        Assert.Equal(new ChatMessage { From = 1, To = 2, Msg = "hi" }, message);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void ZeroLengthFrameIsAMessageWithDefaults()
    {
        var buffer = new ReadOnlySequence<byte>([0x00]);

        Assert.True(FrameReader.TryReadFrame(ref buffer, Limit, out var body));

        Assert.Equal(0, body.Length);
        Assert.Equal(new ChatMessage(), ChatMessage.Parser.ParseFrom(body));
    }

    [Fact]
    public void NonMinimalPrefixIsAccepted()
    {
        var buffer = new ReadOnlySequence<byte>([0x80, 0x00, 0x82, 0x80, 0x00, 0x08, 0x05]);

        Assert.True(FrameReader.TryReadFrame(ref buffer, Limit, out var first));
        Assert.True(FrameReader.TryReadFrame(ref buffer, Limit, out var second));

        Assert.Equal(0, first.Length);
        Assert.Equal(5, Handshake.Parser.ParseFrom(second).Id);
    }

    [Fact]
    public void FramesDeliveredOneByteAtATimeAreReadWhole()
    {
        var stream = Concat(Frame(new ChatMessage { From = 1, To = 2, Msg = "hi" }), Frame(new ChatMessage { Msg = "second" }));
        var received = new List<byte>();
        var messages = new List<ChatMessage>();

        foreach (var next in stream)
        {
            received.Add(next);
            var buffer = new ReadOnlySequence<byte>(received.ToArray());
            while (FrameReader.TryReadFrame(ref buffer, Limit, out var body))
            {
                messages.Add(ChatMessage.Parser.ParseFrom(body));
            }

            received.RemoveRange(0, received.Count - (int)buffer.Length);
        }

        Assert.Equal(["hi", "second"], messages.Select(message => message.Msg));
        Assert.Empty(received);
    }

    [Fact]
    public void FrameSplitAcrossSegmentsIsReadWhole()
    {
        var frame = Frame(new ChatMessage { To = -1, Msg = new string('x', 300) });
        var buffer = Segmented(frame, 1, 2, 3);

        Assert.True(FrameReader.TryReadFrame(ref buffer, Limit, out var body));

        Assert.Equal(300, ChatMessage.Parser.ParseFrom(body).Msg.Length);
    }

    [Fact]
    public void IncompleteBodyWaitsAndLeavesTheBufferAlone()
    {
        var frame = Frame(new ChatMessage { Msg = "hello" });
        var buffer = new ReadOnlySequence<byte>(frame[..^1]);

        Assert.False(FrameReader.TryReadFrame(ref buffer, Limit, out _));

        Assert.Equal(frame.Length - 1, buffer.Length);
    }

    [Fact]
    public void BodyOfExactlyTheLimitIsAllowed()
    {
        var buffer = new ReadOnlySequence<byte>([.. Prefix(Limit), .. new byte[Limit]]);

        Assert.True(FrameReader.TryReadFrame(ref buffer, Limit, out var body));
        Assert.Equal(Limit, body.Length);
    }

    [Fact]
    public void LengthOneOverTheLimitIsAViolationBeforeAnyBodyArrives()
    {
        var buffer = new ReadOnlySequence<byte>(Prefix(Limit + 1));

        var violation = Assert.Throws<ProtocolViolationException>(() => FrameReader.TryReadFrame(ref buffer, Limit, out _));

        Assert.Contains($"{Limit + 1}", violation.Message, StringComparison.Ordinal);
        Assert.Contains($"{Limit}", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SixByteOrLongerPrefixIsAViolation()
    {
        var buffer = new ReadOnlySequence<byte>([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

        var violation = Assert.Throws<ProtocolViolationException>(() => FrameReader.TryReadFrame(ref buffer, int.MaxValue, out _));

        Assert.Contains("longer than 5 bytes", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrefixOver32BitsIsAViolation()
    {
        var buffer = new ReadOnlySequence<byte>([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]);

        var violation = Assert.Throws<ProtocolViolationException>(() => FrameReader.TryReadFrame(ref buffer, int.MaxValue, out _));

        Assert.Contains("32 bits", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncompletePrefixWaitsForMore()
    {
        var buffer = new ReadOnlySequence<byte>([0x80, 0x80]);

        Assert.False(FrameReader.TryReadFrame(ref buffer, Limit, out _));
        Assert.Equal(2, buffer.Length);
    }

    internal static byte[] Frame(Google.Protobuf.IMessage message) => FrameWriter.ToFrame(message);

    private static byte[] Prefix(int length)
    {
        var writer = new ArrayBufferWriter<byte>();
        var value = (uint)length;
        while (value >= 0x80)
        {
            writer.Write([(byte)(value | 0x80)]);
            value >>= 7;
        }

        writer.Write([(byte)value]);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, params int[] cuts)
    {
        var first = new Segment(bytes.AsMemory(0, cuts[0]), 0);
        var last = first;
        var start = cuts[0];
        foreach (var cut in cuts.Skip(1).Append(bytes.Length - cuts.Sum()))
        {
            last = last.Append(bytes.AsMemory(start, cut));
            start += cut;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
