using System.Buffers;
using Google.Protobuf;

namespace Chat.Protocol;

/// <summary>Writes protobuf messages as length-delimited frames (PROTOCOL.md, "Transport and framing").</summary>
public static class FrameWriter
{
    /// <summary>Writes one frame, prefix and body, into <paramref name="writer"/>; returns its length.</summary>
    public static int WriteFrame(IBufferWriter<byte> writer, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        var bodyLength = message.CalculateSize();
        var frameLength = FrameLimits.PrefixLength(bodyLength) + bodyLength;
        var span = writer.GetSpan(frameLength)[..frameLength];
        Encode(span, message, bodyLength);
        writer.Advance(frameLength);
        return frameLength;
    }

    /// <summary>Encodes one frame into <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="ArgumentException">The destination is too small for the frame.</exception>
    public static int WriteFrame(Span<byte> destination, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bodyLength = message.CalculateSize();
        var frameLength = FrameLimits.PrefixLength(bodyLength) + bodyLength;
        if (frameLength > destination.Length)
        {
            throw new ArgumentException($"a frame of {frameLength} bytes does not fit in {destination.Length}", nameof(destination));
        }

        Encode(destination[..frameLength], message, bodyLength);
        return frameLength;
    }

    /// <summary>Encodes one frame into a new array, for a frame that is sent to many connections.</summary>
    public static byte[] ToFrame(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bodyLength = message.CalculateSize();
        var frame = new byte[FrameLimits.PrefixLength(bodyLength) + bodyLength];
        Encode(frame, message, bodyLength);
        return frame;
    }

    private static void Encode(Span<byte> frame, IMessage message, int bodyLength)
    {
        var written = WritePrefix(frame, (uint)bodyLength);
        message.WriteTo(frame[written..]);
    }

    /// <summary>
    /// Writes <paramref name="value"/> as the minimal base-128 varint length prefix (PROTOCOL.md,
    /// "Transport and framing"), at most <see cref="FrameLimits.MaxPrefixLength"/> bytes.
    /// </summary>
    /// <returns>The bytes written.</returns>
    public static int WritePrefix(Span<byte> destination, uint value)
    {
        var index = 0;
        while (value >= 0x80)
        {
            destination[index++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[index++] = (byte)value;
        return index;
    }

    /// <summary>Writes the length prefix of a body of <paramref name="bodyLength"/> bytes into <paramref name="writer"/>.</summary>
    public static void WritePrefix(IBufferWriter<byte> writer, int bodyLength)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Advance(WritePrefix(writer.GetSpan(FrameLimits.MaxPrefixLength), (uint)bodyLength));
    }
}
