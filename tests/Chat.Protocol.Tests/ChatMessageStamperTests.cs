using CsCheck;
using Google.Protobuf;

namespace Chat.Protocol.Tests;

/// <summary>
/// The fast path agrees with Google.Protobuf on every body it accepts: same <c>to</c>, and the
/// stamped frame byte for byte as the generated code writes it; bodies it declines are left to the
/// generated parser.
/// </summary>
public class ChatMessageStamperTests
{
    private const int Iterations = 10_000;

    private static readonly Gen<string> GenText = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 0, 40],
        Gen.String[Gen.Char, 0, 40],
        Gen.Const("héllo wörld ✓ 你好 🎉"));

    private static readonly Gen<ChatMessage> GenMessage =
        Gen.Select(Gen.Long, Gen.OneOf(Gen.Long[-3, 50], Gen.Long), GenText)
            .Select((from, to, text) => new ChatMessage { From = from, To = to, Msg = text });

    private static readonly Gen<byte[]> GenBody = Gen.OneOf(
        GenMessage.Select(message => message.ToByteArray()),
        GenMessage.List[2, 3].Select(messages => messages.SelectMany(message => message.ToByteArray()).ToArray()),
        Gen.Select(GenMessage, Gen.Byte.Array[1, 6]).Select((message, extra) => message.ToByteArray().Concat(extra).ToArray()),
        Gen.Select(GenMessage, Gen.Int[0, 40], Gen.Byte).Select((message, at, value) => Mutate(message.ToByteArray(), at, value)),
        Gen.Byte.Array[0, 30]);

    [Fact]
    public void EveryAcceptedBodyIsStampedExactlyAsGoogleProtobufWouldWriteIt()
    {
        var accepted = 0;
        Gen.Select(GenBody, Gen.Long[1, long.MaxValue]).Sample((body, from) =>
        {
            var destination = new byte[ChatMessageStamper.MaxStampedFrameLength(body.Length)];
            if (!ChatMessageStamper.TryStamp(body, from, destination, out var length, out var to))
            {
                return;
            }

            accepted++;
            var parsed = ChatMessage.Parser.ParseFrom(body);
            parsed.From = from;
            Assert.Equal(parsed.To, to);
            Assert.Equal(Convert.ToHexString(FrameWriter.ToFrame(parsed)), Convert.ToHexString(destination, 0, length));
        }, iter: Iterations);

        Assert.True(accepted > Iterations / 4, $"only {accepted} of {Iterations} bodies took the fast path");
    }

    [Fact]
    public void BodiesTheParserRejectsNeverTakeTheFastPath()
    {
        Gen.Select(GenBody, Gen.Long[1, long.MaxValue]).Sample((body, from) =>
        {
            bool parses;
            try
            {
                ChatMessage.Parser.ParseFrom(body);
                parses = true;
            }
            catch (Exception exception) when (exception is InvalidProtocolBufferException or System.Text.DecoderFallbackException)
            {
                parses = false;
            }

            var destination = new byte[ChatMessageStamper.MaxStampedFrameLength(body.Length)];
            if (!parses)
            {
                Assert.False(ChatMessageStamper.TryStamp(body, from, destination, out _, out _));
            }
        }, iter: Iterations);
    }

    [Fact]
    public void StampingAllocatesNothing()
    {
        var body = new ChatMessage { From = 999, To = -1, Msg = "hello there" }.ToByteArray();
        var destination = new byte[64];
        ChatMessageStamper.TryStamp(body, 7, destination, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var index = 0; index < 1000; index++)
        {
            ChatMessageStamper.TryStamp(body, 7, destination, out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] Mutate(byte[] bytes, int at, byte value)
    {
        if (bytes.Length == 0)
        {
            return [value];
        }

        var copy = bytes.ToArray();
        copy[at % copy.Length] = value;
        return copy;
    }
}
