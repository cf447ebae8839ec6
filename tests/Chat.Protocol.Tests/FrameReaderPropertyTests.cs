using System.Buffers;
using CsCheck;

namespace Chat.Protocol.Tests;

/// <summary>
/// Properties of the frame reader over thousands of generated cases: any byte stream, delivered in
/// pieces split anywhere, yields exactly what a plain reference decoder finds in the whole stream:
/// the encoded frames, then either nothing, an incomplete tail, or one protocol violation.
/// </summary>
public class FrameReaderPropertyTests
{
    private const int Iterations = 5000;

    private static readonly Gen<ChatMessage> GenMessage =
        Gen.Select(Gen.Long, Gen.Long[-3, 50], Gen.String[Gen.Char.AlphaNumeric, 0, 300])
            .Select((from, to, text) => new ChatMessage { From = from, To = to, Msg = text });

    [Fact]
    public void EncodedFramesSplitAnywhereComeBackExactly()
    {
        Gen.Select(GenMessage.List[0, 20], Gen.Int[1, 64].Array[1, 40]).Sample((messages, pieceSizes) =>
        {
            var stream = messages.SelectMany(message => FrameWriter.ToFrame(message)).ToArray();

            var outcome = ReadInPieces(stream, pieceSizes, FrameLimits.DefaultMaxBodyLength);

            Assert.Null(outcome.Violation);
            Assert.Equal(0, outcome.LeftOver);
            Assert.Equal(messages, outcome.Bodies.Select(body => ChatMessage.Parser.ParseFrom(body)));
        }, iter: Iterations);
    }

    [Fact]
    public void AnyByteStreamYieldsTheReferenceFramesOrOneViolation()
    {
        // Bytes weighted towards prefixes: small lengths, continuation bits and 0xFF runs all occur.
        var genByte = Gen.Frequency((3, Gen.Byte[0, 20]), (2, Gen.Byte[0x80, 0xFF]), (1, Gen.Byte), (1, Gen.Const((byte)0xFF)));
        Gen.Select(genByte.Array[0, 400], Gen.Int[1, 50].Array[1, 30], Gen.Int[0, 120]).Sample((stream, pieceSizes, limit) =>
        {
            var expected = Reference(stream, limit);

            var outcome = ReadInPieces(stream, pieceSizes, limit);

            Assert.Equal(expected.Bodies.Select(Convert.ToHexString), outcome.Bodies.Select(Convert.ToHexString));
            Assert.Equal(expected.Violation is null, outcome.Violation is null);
            Assert.All(outcome.Bodies, body => Assert.True(body.Length <= limit));
        }, iter: Iterations);
    }

    [Fact]
    public void ReadingFramesAllocatesNothing()
    {
        var stream = Enumerable.Range(0, 100).SelectMany(index => FrameWriter.ToFrame(new ChatMessage { To = index, Msg = "hello" })).ToArray();
        var buffer = new ReadOnlySequence<byte>(stream);
        FrameReader.TryReadFrame(ref buffer, 1000, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var frames = 0;
        while (FrameReader.TryReadFrame(ref buffer, 1000, out _))
        {
            frames++;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(99, frames);
    }

    private static Outcome ReadInPieces(byte[] stream, int[] pieceSizes, int limit)
    {
        var bodies = new List<byte[]>();
        var pending = new List<byte>();
        var offset = 0;
        var piece = 0;
        while (offset < stream.Length)
        {
            var size = Math.Min(pieceSizes[piece++ % pieceSizes.Length], stream.Length - offset);
            pending.AddRange(stream.AsSpan(offset, size));
            offset += size;
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            try
            {
                while (FrameReader.TryReadFrame(ref buffer, limit, out var body))
                {
                    bodies.Add(body.ToArray());
                }
            }
            catch (ProtocolViolationException violation)
            {
                return new Outcome(bodies, violation.Message, 0);
            }

            pending.RemoveRange(0, pending.Count - (int)buffer.Length);
        }

        return new Outcome(bodies, null, pending.Count);
    }

    // The framing rules read straight off PROTOCOL.md, over the whole stream at once.
    private static Outcome Reference(byte[] stream, int limit)
    {
        var bodies = new List<byte[]>();
        var position = 0;
        while (position < stream.Length)
        {
            ulong length = 0;
            var prefix = 0;
            while (true)
            {
                if (prefix == 5)
                {
                    return new Outcome(bodies, "prefix longer than 5 bytes", 0);
                }

                if (position + prefix >= stream.Length)
                {
                    return new Outcome(bodies, null, stream.Length - position);
                }

                var next = stream[position + prefix];
                length |= (ulong)(next & 0x7F) << (7 * prefix);
                prefix++;
                if (next < 0x80)
                {
                    break;
                }
            }

            if (length > uint.MaxValue || length > (ulong)limit)
            {
                return new Outcome(bodies, "over the limit", 0);
            }

            if (position + prefix + (int)length > stream.Length)
            {
                return new Outcome(bodies, null, stream.Length - position);
            }

            bodies.Add(stream.AsSpan(position + prefix, (int)length).ToArray());
            position += prefix + (int)length;
        }

        return new Outcome(bodies, null, 0);
    }

    private sealed record Outcome(List<byte[]> Bodies, string? Violation, int LeftOver);
}
