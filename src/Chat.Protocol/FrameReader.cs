using System.Buffers;

namespace Chat.Protocol;

/// <summary>
/// Reads length-delimited frames (PROTOCOL.md, "Transport and framing") from bytes that may arrive
/// split or coalesced anyhow. It checks the prefix against the limit before it waits for the body,
/// so an announced length is never read or allocated when it is over the limit.
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>, if one is there.
    /// </summary>
    /// <param name="buffer">The unread bytes; on success it is advanced past the frame.</param>
    /// <param name="maxBodyLength">The largest body accepted; a body of exactly this length is allowed.</param>
    /// <param name="body">The frame's body, a slice of <paramref name="buffer"/>.</param>
    /// <returns>False when more bytes are needed; the buffer is then left as it was.</returns>
    /// <exception cref="ProtocolViolationException">The prefix is malformed or over the limit.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxBodyLength, out ReadOnlySequence<byte> body)
    {
        body = default;
        if (!TryReadPrefix(buffer, out var bodyLength, out var prefixLength))
        {
            return false;
        }

        if (bodyLength > (uint)maxBodyLength)
        {
            throw new ProtocolViolationException(
                $"frame length {bodyLength} is over the limit of {maxBodyLength} bytes");
        }

        if (buffer.Length - prefixLength < bodyLength)
        {
            return false;
        }

        body = buffer.Slice(prefixLength, bodyLength);
        buffer = buffer.Slice(body.End);
        return true;
    }

    // A varint of at most five bytes whose value fits 32 bits; non-minimal forms such as 80 00 are
    // accepted, as protobuf parsers accept them. The prefix is read straight from the first segment
    // (the usual case); only a prefix split across segments is copied out first.
    private static bool TryReadPrefix(in ReadOnlySequence<byte> buffer, out uint value, out int prefixLength)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= FrameLimits.MaxPrefixLength || first.Length == buffer.Length)
        {
            return TryReadPrefix(first, out value, out prefixLength);
        }

        Span<byte> copy = stackalloc byte[FrameLimits.MaxPrefixLength];
        var available = (int)Math.Min(buffer.Length, FrameLimits.MaxPrefixLength);
        buffer.Slice(0, available).CopyTo(copy);
        return TryReadPrefix(copy[..available], out value, out prefixLength);
    }

    private static bool TryReadPrefix(ReadOnlySpan<byte> span, out uint value, out int prefixLength)
    {
        value = 0;
        prefixLength = 0;
        for (var index = 0; index < FrameLimits.MaxPrefixLength; index++)
        {
            if (index == span.Length)
            {
                return false;
            }

            var next = span[index];
            if (index == FrameLimits.MaxPrefixLength - 1 && next > 0x0F)
            {
                throw new ProtocolViolationException(next >= 0x80
                    ? "frame length prefix is longer than 5 bytes"
                    : "frame length prefix does not fit in 32 bits");
            }

            value |= (uint)(next & 0x7F) << (7 * index);
            if (next < 0x80)
            {
                prefixLength = index + 1;
                return true;
            }
        }

        // Unreachable: the fifth byte either ends the prefix or throws above.
        throw new ProtocolViolationException("frame length prefix is longer than 5 bytes");
    }
}
