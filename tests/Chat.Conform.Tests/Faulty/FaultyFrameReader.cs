using Chat.Protocol;

namespace Chat.Conform.Tests.Faulty;

/// <summary>
/// The faulty server's framing: the contract's varint prefix (PROTOCOL.md §3), or one of the
/// mistakes its fault names. Returns null when more bytes are needed.
/// </summary>
internal static class FaultyFrameReader
{
    /// <summary>A whole frame at the front of <paramref name="bytes"/>: where its body is and how many bytes it takes.</summary>
    /// <exception cref="ProtocolViolationException">The prefix breaks the rule the server enforces.</exception>
    public static (int BodyStart, int BodyLength)? TryRead(ReadOnlySpan<byte> bytes, Fault fault, int maxBodyLength)
    {
        if (fault == Fault.FourByteLengthPrefix)
        {
            return bytes.Length < 4 ? null : Body(bytes, 4, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        if (fault == Fault.OneByteLengthPrefix)
        {
            return bytes.Length < 1 ? null : Body(bytes, 1, bytes[0]);
        }

        // A 64-bit varint reader (AcceptsLongPrefix) or one that cuts the value to 32 bits (TruncatesPrefixTo32Bits).
        var maxPrefix = fault == Fault.AcceptsLongPrefix ? 10 : FrameLimits.MaxPrefixLength;
        ulong value = 0;
        for (var index = 0; index < maxPrefix; index++)
        {
            if (index == bytes.Length)
            {
                return null;
            }

            var next = bytes[index];
            if (index == FrameLimits.MaxPrefixLength - 1 && next > 0x0F && fault is not (Fault.AcceptsLongPrefix or Fault.TruncatesPrefixTo32Bits))
            {
                throw new ProtocolViolationException("frame length prefix is longer than 5 bytes or over 32 bits");
            }

            value |= (ulong)(next & 0x7F) << (7 * index);
            if (next < 0x80)
            {
                var prefixLength = index + 1;
                var length = fault == Fault.TruncatesPrefixTo32Bits ? (uint)value : value;
                Judge(fault, length, prefixLength, maxBodyLength);
                return Body(bytes, prefixLength, (long)length);
            }
        }

        throw new ProtocolViolationException("frame length prefix is too long");
    }

    private static void Judge(Fault fault, ulong length, int prefixLength, int maxBodyLength)
    {
        var over = fault == Fault.LimitOffByOne ? length >= (ulong)maxBodyLength : length > (ulong)maxBodyLength;
        if (over && fault != Fault.WaitsForAnnouncedBody)
        {
            throw new ProtocolViolationException($"frame length {length} is over the limit");
        }

        if (fault == Fault.RejectsEmptyFrame && length == 0)
        {
            throw new ProtocolViolationException("empty frame");
        }

        if (fault == Fault.RejectsNonMinimalPrefix && prefixLength > FrameLimits.PrefixLength((int)Math.Min(length, int.MaxValue)))
        {
            throw new ProtocolViolationException("non-minimal prefix");
        }
    }

    private static (int, int)? Body(ReadOnlySpan<byte> bytes, int prefixLength, long length) =>
        bytes.Length - prefixLength >= length ? (prefixLength, (int)length) : null;
}
