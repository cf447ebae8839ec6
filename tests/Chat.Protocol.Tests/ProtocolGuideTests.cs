using System.Buffers;
using Chat.TestKit;
using Google.Protobuf.Reflection;

namespace Chat.Protocol.Tests;

/// <summary>
/// docs/PROTOCOL.md tells client writers the exact bytes; these tests hold the guide and the code to
/// the same bytes, so that neither can drift without a failing test.
/// </summary>
public class ProtocolGuideTests
{
    [Fact]
    public void EveryFrameInTheGuideIsTheOneTheCodeWrites()
    {
        var frames = ProtocolGuide.Frames();

        Assert.True(frames.Count >= 20, $"expected at least 20 frame examples in {ProtocolGuide.FilePath}, found {frames.Count}");
        var wrong = frames
            .Where(example => !FrameWriter.ToFrame(example.Message).AsSpan().SequenceEqual(example.Frame))
            .Select(example => $"line {example.LineNumber}: {example.Text}\n  the code writes {Hex(FrameWriter.ToFrame(example.Message))}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void EveryFrameInTheGuideReadsBackAsTheMessageItShows()
    {
        foreach (var example in ProtocolGuide.Frames())
        {
            var buffer = new ReadOnlySequence<byte>(example.Frame);

            Assert.True(FrameReader.TryReadFrame(ref buffer, FrameLimits.DefaultMaxBodyLength, out var body), $"line {example.LineNumber}: not a whole frame");
            Assert.True(buffer.IsEmpty, $"line {example.LineNumber}: bytes left over after the frame");
            Assert.Equal(example.Message, example.Message.Descriptor.Parser.ParseFrom(body));
        }
    }

    [Fact]
    public void EveryLengthPrefixInTheGuideIsReadAsTheGuideSays()
    {
        var prefixes = ProtocolGuide.Prefixes();

        Assert.True(prefixes.Count >= 10, $"expected at least 10 prefix examples in {ProtocolGuide.FilePath}, found {prefixes.Count}");
        foreach (var example in prefixes)
        {
            var context = $"line {example.LineNumber}: prefix {Hex(example.Prefix)}";
            if (example.Length is { } length)
            {
                var buffer = new ReadOnlySequence<byte>([.. example.Prefix, .. new byte[length]]);
                Assert.True(FrameReader.TryReadFrame(ref buffer, FrameLimits.DefaultMaxBodyLength, out var body), context);
                Assert.Equal(length, body.Length);
                Assert.True(buffer.IsEmpty, context);
            }
            else
            {
                var buffer = new ReadOnlySequence<byte>(example.Prefix);
                Assert.Throws<ProtocolViolationException>(() => FrameReader.TryReadFrame(ref buffer, FrameLimits.DefaultMaxBodyLength, out _));
            }
        }
    }

    [Fact]
    public void EveryLineThatLooksLikeAnExampleIsReadAsOne()
    {
        Assert.Empty(ProtocolGuide.UnreadableLines());
    }

    [Fact]
    public void TheWorkedSessionHasEveryKindOfFrame()
    {
        var steps = ProtocolGuide.WorkedSession();

        Assert.True(steps.Count >= 10, $"expected the worked session to have at least 10 steps, found {steps.Count}");
        var messages = steps.Select(step => step.Frame.Message).ToList();
        Assert.Contains(messages, message => message is Handshake { Id: > 0 });
        Assert.Contains(messages, message => message is Handshake { Error: true, Refusal: not Refusal.Unspecified });
        Assert.Contains(messages, message => message is ChatMessage { From: 0, To: > 0 });
        Assert.Contains(messages, message => message is ChatMessage { To: -1 });
    }

    [Fact]
    public void EveryFieldAndRefusalCodeOfChatProtoIsDescribedInTheGuide()
    {
        var guide = File.ReadAllText(ProtocolGuide.FilePath);
        var fields = ChatReflection.Descriptor.MessageTypes.SelectMany(message => message.Fields.InFieldNumberOrder()).ToList();

        Assert.True(fields.Count >= 8, $"expected at least 8 fields in chat.proto, found {fields.Count}");
        foreach (var field in fields)
        {
            var type = field.FieldType == FieldType.Enum ? field.EnumType.Name : field.FieldType.ToString().ToLowerInvariant();
            var row = $"| `{field.Name}` | {field.FieldNumber} | {type} |";
            Assert.True(guide.Contains(row, StringComparison.Ordinal), $"the guide has no row starting {row} for {field.FullName}");
        }

        foreach (var code in ChatReflection.Descriptor.EnumTypes.SelectMany(type => type.Values))
        {
            var row = $"| `{code.Name}` | {code.Number} |";
            Assert.True(guide.Contains(row, StringComparison.Ordinal), $"the guide has no row starting {row} for {code.FullName}");
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).Chunk(2).Select(pair => new string(pair)).Aggregate((left, right) => $"{left} {right}");
}
