using System.Text;

namespace Chat.Conform.Wire;

/// <summary>Bytes written as PROTOCOL.md writes them: upper-case hex pairs separated by spaces.</summary>
internal static class Hex
{
    /// <summary>The first <paramref name="limit"/> bytes, with "..." when there are more.</summary>
    public static string Format(ReadOnlySpan<byte> bytes, int limit = 24)
    {
        if (bytes.IsEmpty)
        {
            return "(no bytes)";
        }

        var text = new StringBuilder();
        var shown = Math.Min(bytes.Length, limit);
        for (var index = 0; index < shown; index++)
        {
            text.Append(index == 0 ? "" : " ").Append(bytes[index].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return bytes.Length > limit ? text.Append(" ...").ToString() : text.ToString();
    }
}
