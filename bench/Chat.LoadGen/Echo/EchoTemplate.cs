using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Chat.Protocol;

namespace Chat.LoadGen.Echo;

/// <summary>
/// The one message a connection sends, encoded once: <c>to</c> = 0 (echo only) by default, or a
/// recipient (a user's id, -1 for everyone), and a <c>msg</c> of a fixed size whose first ten
/// characters are the message's sequence number, written in place before each send. Checks each
/// echo or delivery without decoding it into objects.
/// </summary>
internal sealed class EchoTemplate : IEchoFormat
{
    /// <summary>Digits of the sequence number at the start of <c>msg</c>.</summary>
    public const int SequenceDigits = 10;

    /// <summary>The smallest <c>msg</c> that holds the sequence number and a little filler.</summary>
    public const int MinimumSize = SequenceDigits + 6;

    private static readonly StandardFormat SequenceFormat = new('D', SequenceDigits);

    private readonly byte[] _filler;

    public EchoTemplate(int size, long to = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinimumSize);
        Size = size;
        To = to;
        var text = string.Create(size, 0, static (span, _) =>
        {
            span[..SequenceDigits].Fill('0');
            for (var index = SequenceDigits; index < span.Length; index++)
            {
                span[index] = (char)('a' + (index % 26));
            }
        });
        Frame = FrameWriter.ToFrame(new ChatMessage { To = to, Msg = text });
        MessageOffset = Frame.Length - size;
        _filler = Encoding.ASCII.GetBytes(text[SequenceDigits..]);
        // The echo carries from (at most 11 bytes more) and everything sent.
        MaxEchoBodyLength = Frame.Length + 16;
    }

    public int Size { get; }

    /// <summary>The recipient every copy of the frame names.</summary>
    public long To { get; }

    /// <summary>The encoded frame (prefix and body) with sequence number 0.</summary>
    public byte[] Frame { get; }

    public int FrameLength => Frame.Length;

    public int MaxEchoBodyLength { get; }

    int IEchoFormat.MaxReplyLength => MaxEchoBodyLength;

    private int MessageOffset { get; }

    /// <summary>Writes <paramref name="sequence"/> into a copy of <see cref="Frame"/>.</summary>
    public void WriteSequence(Span<byte> frame, long sequence) => FormatSequence(frame.Slice(MessageOffset), sequence);

    /// <summary>Writes <paramref name="sequence"/> over the first <see cref="SequenceDigits"/> bytes of a <c>msg</c>.</summary>
    public static void FormatSequence(Span<byte> message, long sequence) =>
        Utf8Formatter.TryFormat(sequence, message[..SequenceDigits], out _, SequenceFormat);

    /// <summary>One echo's body: the frame's length prefix read and dropped.</summary>
    public bool TryReadReply(ref ReadOnlySequence<byte> buffer, out ReadOnlySpan<byte> reply)
    {
        var whole = FrameReader.TryReadFrame(ref buffer, MaxEchoBodyLength, out var body);
        reply = whole ? body.FirstSpan : default;
        return whole;
    }

    /// <summary>
    /// Checks one echo body: <c>from</c> is <paramref name="ownId"/>, <c>to</c> is 0, and <c>msg</c> is
    /// the template with <paramref name="expectedSequence"/>. Returns null when it is, else what is wrong.
    /// </summary>
    public string? Verify(ReadOnlySpan<byte> body, long ownId, long expectedSequence)
    {
        var malformed = ReadFields(body, out var from, out var to, out var message);
        if (malformed is not null)
        {
            return malformed;
        }

        if (from != ownId)
        {
            return from == 0
                ? $"a server notice arrived instead of echo {expectedSequence}: {Encoding.UTF8.GetString(message)}"
                : $"echo stamped from {from}, expected {ownId}";
        }

        if (to != To)
        {
            return $"echo has to = {to}, sent {To}";
        }

        var problem = ReadSequence(message, out var sequence);
        return problem is not null
            ? problem
            : sequence == expectedSequence
                ? null
                : sequence > expectedSequence
                    ? $"echo {expectedSequence} lost: got {sequence}"
                    : $"echo {sequence} duplicated or reordered: expected {expectedSequence}";
    }

    /// <summary>
    /// Reads <c>msg</c> as this template's: the size and the filler as sent, and the sequence number.
    /// Returns null when it is one, else what is wrong.
    /// </summary>
    public string? ReadSequence(ReadOnlySpan<byte> message, out long sequence)
    {
        sequence = -1;
        if (message.Length != Size)
        {
            return $"msg has {message.Length} bytes, sent {Size}";
        }

        if (!message[SequenceDigits..].SequenceEqual(_filler))
        {
            return "msg differs from what was sent";
        }

        return Utf8Parser.TryParse(message[..SequenceDigits], out sequence, out var consumed) && consumed == SequenceDigits
            ? null
            : "msg has no sequence number";
    }

    /// <summary>
    /// Reads a <c>ChatMessage</c> body's three fields without decoding it into objects (absent ones
    /// are 0 and empty). Returns null when it is well formed, else what is wrong.
    /// </summary>
    public static string? ReadFields(ReadOnlySpan<byte> body, out long from, out long to, out ReadOnlySpan<byte> message)
    {
        from = 0;
        to = 0;
        message = ReadOnlySpan<byte>.Empty;
        var position = 0;
        while (position < body.Length)
        {
            if (!TryReadVarint(body, ref position, out var tag))
            {
                return "malformed frame: truncated tag";
            }

            switch (tag & 7)
            {
                case 0:
                    if (!TryReadVarint(body, ref position, out var value))
                    {
                        return "malformed frame: truncated varint";
                    }

                    if (tag >> 3 == 1)
                    {
                        from = (long)value;
                    }
                    else if (tag >> 3 == 2)
                    {
                        to = (long)value;
                    }

                    break;
                case 2:
                    if (!TryReadVarint(body, ref position, out var length) || length > (ulong)(body.Length - position))
                    {
                        return "malformed frame: bad length";
                    }

                    if (tag >> 3 == 3)
                    {
                        message = body.Slice(position, (int)length);
                    }

                    position += (int)length;
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    return $"malformed frame: wire type {tag & 7}";
            }
        }

        return position != body.Length ? "malformed frame: a field runs past the frame" : null;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> span, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < span.Length; shift += 7)
        {
            var next = span[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
