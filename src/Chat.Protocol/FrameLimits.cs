namespace Chat.Protocol;

/// <summary>Numbers fixed by the wire contract (PROTOCOL.md, "Transport and framing").</summary>
public static class FrameLimits
{
    /// <summary>The default maximum body length a client may send: 64 KiB.</summary>
    public const int DefaultMaxBodyLength = 64 * 1024;

    /// <summary>A length prefix is a base-128 varint of at most five bytes holding at most 32 bits.</summary>
    public const int MaxPrefixLength = 5;

    /// <summary>How many bytes the varint prefix for <paramref name="bodyLength"/> takes.</summary>
    public static int PrefixLength(int bodyLength)
    {
        var value = (uint)bodyLength;
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }
}
