using System.Globalization;
using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Conform.Checks;

/// <summary>Frames in the delimited form, however the bytes are split or padded (PROTOCOL.md §3).</summary>
internal static class FramingChecks
{
    private const string VarintHint = "a body over 127 bytes takes a two-byte varint length (300 is AC 02); read the " +
        "prefix byte by byte until a byte below 0x80, as PROTOCOL.md §3 shows";

    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("delimited-frames", CheckLevel.Assignment, ProtocolSections.Framing,
            "a message of 300 bytes (a two-byte varint length prefix) is read whole and echoed whole", DelimitedFramesAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("empty-frame", CheckLevel.Contract, ProtocolSections.Defaults,
            "a frame of length 0 (the byte 00) is a valid ChatMessage with every field at its default, and is echoed", EmptyFrameAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("non-minimal-prefix", CheckLevel.Contract, ProtocolSections.Framing,
            "length prefixes longer than they need to be (80 00, 80 80 80 80 00) are accepted, as protobuf parsers accept them",
            NonMinimalPrefixAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("frame-boundaries", CheckLevel.Contract, ProtocolSections.ReadingFrames,
            "three and a half frames in one write, then the rest byte by byte, give four echoes in order", FrameBoundariesAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("max-length", CheckLevel.Contract, ProtocolSections.MaximumLength,
            "a body of exactly the maximum length (65,536 bytes unless --max-frame-length says otherwise) is accepted",
            MaxLengthAsync)
        {
            Needs = ["echo"],
        };
    }

    private static async Task DelimitedFramesAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        var sent = new ChatMessage { To = 0, Msg = new string('a', 296) };
        try
        {
            await CheckSteps.SendAndExpectEchoAsync(user, sent, cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                $"{user.Who} sent a message whose body is {sent.CalculateSize()} bytes: {failure.Message}. Hint: {VarintHint}"), failure);
        }
    }

    private static async Task EmptyFrameAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        await user.SendRawAsync(new byte[] { 0x00 }, cancellationToken);
        await ExpectEchoOfRawAsync(user, new ChatMessage(), "the frame 00 (a ChatMessage with every field at its default)", cancellationToken);
    }

    private static async Task NonMinimalPrefixAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        var hi = new ChatMessage { To = 0, Msg = "hi" };
        var cases = new (byte[] Frame, ChatMessage Message)[]
        {
            (RawFrames.NonMinimal([], 2), new ChatMessage()),
            (RawFrames.NonMinimal([], 5), new ChatMessage()),
            (RawFrames.NonMinimal(hi.ToByteArray(), 3), hi),
        };
        foreach (var (frame, message) in cases)
        {
            await user.SendRawAsync(frame, cancellationToken);
            await ExpectEchoOfRawAsync(user, message, $"the frame {Hex.Format(frame)} (prefix of {frame.Length - message.CalculateSize()} bytes)",
                cancellationToken);
        }
    }

    private static async Task FrameBoundariesAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        var sent = Enumerable.Range(1, 4)
            .Select(index => new ChatMessage { To = 0, Msg = string.Create(CultureInfo.InvariantCulture, $"boundary {index}") })
            .ToList();
        byte[] bytes = [.. sent.SelectMany(RawFrames.Frame)];
        var split = bytes.Length - (RawFrames.Frame(sent[3]).Length / 2);
        await user.SendRawAsync(bytes.AsMemory(0, split), cancellationToken);
        for (var index = split; index < bytes.Length; index++)
        {
            await user.SendRawAsync(bytes.AsMemory(index, 1), cancellationToken);
        }

        foreach (var message in sent)
        {
            try
            {
                await CheckSteps.ExpectEchoAsync(user, message, cancellationToken);
            }
            catch (CheckFailedException failure)
            {
                throw new CheckFailedException($"{user.Who} sent four frames: three and a half in one write, the rest one byte " +
                    $"per write. {failure.Message}. TCP is a stream: one read may hold several frames or part of one, so keep " +
                    "unread bytes in a buffer and take whole frames off its front", failure);
            }
        }
    }

    private static async Task MaxLengthAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        var limit = context.Settings.MaxFrameLength;
        var sent = new ChatMessage { To = 0, Msg = new string('m', TextLengthForBody(limit)) };
        try
        {
            await CheckSteps.SendAndExpectEchoAsync(user, sent, cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                $"{user.Who} sent a body of exactly {limit:N0} bytes, the maximum: {failure.Message}. A body of exactly the " +
                $"maximum length is allowed (and its echo may be up to 11 bytes longer)"), failure);
        }
    }

    // The length of msg that makes the body {msg: ...} exactly bodyLength bytes: tag, varint length, text.
    private static int TextLengthForBody(int bodyLength)
    {
        for (var text = bodyLength - 2; text > 0; text--)
        {
            if (1 + RawFrames.Varint((uint)text).Length + text == bodyLength)
            {
                return text;
            }
        }

        return 0;
    }

    private static async Task ExpectEchoOfRawAsync(ServerConnection user, ChatMessage message, string what, CancellationToken cancellationToken)
    {
        try
        {
            await CheckSteps.ExpectEchoAsync(user, message, cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException($"{user.Who} sent {what}: {failure.Message}", failure);
        }
    }
}
