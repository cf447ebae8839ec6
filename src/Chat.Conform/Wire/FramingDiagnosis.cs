using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Conform.Wire;

/// <summary>
/// Guesses, from the first bytes a server sent, which common framing mistake it makes: a fixed
/// 4-byte or 2-byte length (Python's <c>struct.pack</c>), no length at all, or text. Cheap pattern
/// matching, said as a hint: PROTOCOL.md, "Transport and framing", is the rule.
/// </summary>
internal static class FramingDiagnosis
{
    private const string Rule = "this protocol puts a varint length in front of each frame " +
        "(Python: encoder._VarintBytes(len(body)) + body)";

    /// <summary>A sentence naming the likely mistake, or null when the bytes suggest none.</summary>
    public static string? Explain(ReadOnlySpan<byte> first)
    {
        if (first.Length < 2)
        {
            return null;
        }

        if (LooksLikeText(first))
        {
            return $"the server sent text (\"{Printable(first)}\"), not a protobuf frame; {Rule}";
        }

        if (first.Length >= 5 && first[0] == 0 && first[1] == 0 && (first[2] | first[3]) != 0)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(first);
            return $"the first 4 bytes ({Hex.Format(first[..4])}) look like a 4-byte big-endian length ({length}), as " +
                $"struct.pack('>I', n) writes it; {Rule}: {length} is written {VarintHex(length)}";
        }

        if (first.Length >= 5 && first[0] != 0 && first[1] == 0 && first[2] == 0 && first[3] == 0)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(first);
            return $"the first 4 bytes ({Hex.Format(first[..4])}) look like a 4-byte little-endian length ({length}), as " +
                $"struct.pack('<I', n) writes it; {Rule}: {length} is written {VarintHex(length)}";
        }

        if (first.Length >= 3 && first[0] == 0 && first[1] != 0 && IsFieldTag(first[2]))
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(first);
            return $"the first 2 bytes ({Hex.Format(first[..2])}) look like a 2-byte big-endian length ({length}), as " +
                $"struct.pack('>H', n) writes it; {Rule}: {length} is written {VarintHex(length)}";
        }

        if (IsFieldTag(first[0]) && first[0] + 1 > first.Length && ParsesAsHandshake(first))
        {
            return $"the bytes ({Hex.Format(first)}) look like a Handshake sent with no length in front; {Rule}";
        }

        return null;
    }

    // The tags of the first fields of Handshake and ChatMessage: 08 (field 1), 10 (field 2), 1A (field 3, text).
    private static bool IsFieldTag(byte value) => value is 0x08 or 0x10 or 0x1A;

    private static bool ParsesAsHandshake(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var handshake = Handshake.Parser.ParseFrom(bytes);
            return handshake.Id > 0 || handshake.Error;
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        foreach (var value in bytes)
        {
            if (value is not ((>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        Encoding.ASCII.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string VarintHex(uint value)
    {
        Span<byte> prefix = stackalloc byte[FrameLimits.MaxPrefixLength];
        var length = FrameWriter.WritePrefix(prefix, value);
        return string.Create(CultureInfo.InvariantCulture, $"as the varint {Hex.Format(prefix[..length])}");
    }
}
