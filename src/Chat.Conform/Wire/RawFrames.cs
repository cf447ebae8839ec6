using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Conform.Wire;

/// <summary>Frames built byte by byte, including the odd ones a check needs (non-minimal prefixes, bad bodies).</summary>
internal static class RawFrames
{
    /// <summary>A frame with the usual, minimal prefix.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body) => [.. Varint((uint)body.Length), .. body];

    /// <summary>A frame of <paramref name="message"/>, as FrameWriter writes it.</summary>
    public static byte[] Frame(IMessage message) => FrameWriter.ToFrame(message);

    /// <summary>A frame whose prefix is padded to <paramref name="prefixLength"/> bytes (80 00 for 0), as protobuf parsers accept.</summary>
    public static byte[] NonMinimal(ReadOnlySpan<byte> body, int prefixLength)
    {
        var prefix = new byte[prefixLength];
        var value = (uint)body.Length;
        for (var index = 0; index < prefixLength; index++)
        {
            prefix[index] = (byte)((value & 0x7F) | (index < prefixLength - 1 ? 0x80u : 0));
            value >>= 7;
        }

        return [.. prefix, .. body];
    }

    /// <summary>The minimal varint of <paramref name="value"/>.</summary>
    public static byte[] Varint(uint value)
    {
        Span<byte> bytes = stackalloc byte[FrameLimits.MaxPrefixLength];
        return bytes[..FrameWriter.WritePrefix(bytes, value)].ToArray();
    }
}
