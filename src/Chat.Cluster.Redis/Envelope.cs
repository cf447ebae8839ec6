using System.Buffers.Binary;
using System.Text;

namespace Chat.Cluster.Redis;

/// <summary>
/// One message on a node's inbound channel: a kind byte, two ids (little-endian) and a payload,
/// which is an already stamped, length-prefixed frame or a notice's UTF-8 text.
/// </summary>
internal readonly ref struct Envelope
{
    private const int HeaderLength = 1 + 8 + 8;

    private Envelope(EnvelopeKind kind, long first, long second, ReadOnlySpan<byte> payload)
    {
        Kind = kind;
        First = first;
        Second = second;
        Payload = payload;
    }

    public EnvelopeKind Kind { get; }

    /// <summary>The sender (direct, broadcast) or the user concerned (kick, notice).</summary>
    public long First { get; }

    /// <summary>The recipient of a direct message.</summary>
    public long Second { get; }

    public ReadOnlySpan<byte> Payload { get; }

    public string Text => Encoding.UTF8.GetString(Payload);

    public static byte[] Create(EnvelopeKind kind, long first, long second, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[HeaderLength + payload.Length];
        bytes[0] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), first);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(9), second);
        payload.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    public static byte[] Create(EnvelopeKind kind, long first, string text) =>
        Create(kind, first, 0, Encoding.UTF8.GetBytes(text));

    public static bool TryRead(ReadOnlySpan<byte> bytes, out Envelope envelope)
    {
        if (bytes.Length < HeaderLength || bytes[0] is < (byte)EnvelopeKind.Direct or > (byte)EnvelopeKind.Probe)
        {
            envelope = default;
            return false;
        }

        envelope = new Envelope(
            (EnvelopeKind)bytes[0],
            BinaryPrimitives.ReadInt64LittleEndian(bytes[1..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[9..]),
            bytes[HeaderLength..]);
        return true;
    }
}
