using System.Text.Unicode;

namespace Chat.Protocol;

/// <summary>
/// The server's per-message fast path: takes a <see cref="ChatMessage"/> body as it came off the
/// wire and writes the frame the server sends on, with <c>from</c> stamped, without building the
/// message or its string. It accepts only the plain case (fields 1 to 3 with their declared wire
/// types, <c>msg</c> valid UTF-8) and declines anything else, which then goes through the generated
/// parser: so every body is either stamped byte for byte as Google.Protobuf would write it, or
/// judged by Google.Protobuf itself.
/// </summary>
public static class ChatMessageStamper
{
    // Tags of ChatMessage's fields: field number << 3 | wire type (0 varint, 2 length-delimited).
    private const ulong FromTag = (1 << 3) | 0;
    private const ulong ToTag = (2 << 3) | 0;
    private const ulong MsgTag = (3 << 3) | 2;
    private const int MaxVarint64Length = 10;

    /// <summary>The most bytes the stamped frame of a body of <paramref name="bodyLength"/> bytes takes.</summary>
    public static int MaxStampedFrameLength(int bodyLength) =>
        FrameLimits.MaxPrefixLength + bodyLength + 1 + MaxVarint64Length;

    /// <summary>
    /// Writes the stamped frame (prefix and body) for <paramref name="body"/> into <paramref name="destination"/>.
    /// </summary>
    /// <returns>False when the body is not the plain case; nothing useful was written then.</returns>
    public static bool TryStamp(ReadOnlySpan<byte> body, long from, Span<byte> destination, out int frameLength, out long to)
    {
        frameLength = 0;
        to = 0;
        var msg = ReadOnlySpan<byte>.Empty;
        var position = 0;
        while (position < body.Length)
        {
            if (!TryReadVarint(body, ref position, out var tag))
            {
                return false;
            }

            switch (tag)
            {
                case FromTag:
                    // Whatever the client claims is replaced by the stamp (PROTOCOL.md, "Conversation" 3).
                    if (!TryReadVarint(body, ref position, out _))
                    {
                        return false;
                    }

                    break;
                case ToTag:
                    if (!TryReadVarint(body, ref position, out var value))
                    {
                        return false;
                    }

                    to = (long)value;
                    break;
                case MsgTag:
                    if (!TryReadVarint(body, ref position, out var length) || length > (ulong)(body.Length - position))
                    {
                        return false;
                    }

                    // Every occurrence must be text, as the generated parser checks each one; the last wins.
                    msg = body.Slice(position, (int)length);
                    if (!Utf8.IsValid(msg))
                    {
                        return false;
                    }

                    position += (int)length;
                    break;
                default:
                    // Unknown fields, groups, other wire types, a zero tag: the full parser decides.
                    return false;
            }
        }

        frameLength = Write(destination, from, to, msg);
        return true;
    }

    // Fields in number order, defaults left out: exactly what Google.Protobuf writes.
    private static int Write(Span<byte> destination, long from, long to, ReadOnlySpan<byte> msg)
    {
        var bodyLength = 0;
        if (from != 0)
        {
            bodyLength += 1 + VarintLength((ulong)from);
        }

        if (to != 0)
        {
            bodyLength += 1 + VarintLength((ulong)to);
        }

        if (!msg.IsEmpty)
        {
            bodyLength += 1 + VarintLength((ulong)msg.Length) + msg.Length;
        }

        var position = WriteVarint(destination, 0, (ulong)bodyLength);
        if (from != 0)
        {
            destination[position++] = (byte)FromTag;
            position = WriteVarint(destination, position, (ulong)from);
        }

        if (to != 0)
        {
            destination[position++] = (byte)ToTag;
            position = WriteVarint(destination, position, (ulong)to);
        }

        if (!msg.IsEmpty)
        {
            destination[position++] = (byte)MsgTag;
            position = WriteVarint(destination, position, (ulong)msg.Length);
            msg.CopyTo(destination[position..]);
            position += msg.Length;
        }

        return position;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> span, ref int position, out ulong value)
    {
        value = 0;
        for (var index = 0; index < MaxVarint64Length; index++)
        {
            if (position >= span.Length)
            {
                return false;
            }

            var next = span[position++];
            value |= (ulong)(next & 0x7F) << (7 * index);
            if (next < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    private static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static int WriteVarint(Span<byte> destination, int position, ulong value)
    {
        while (value >= 0x80)
        {
            destination[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
        return position;
    }
}
