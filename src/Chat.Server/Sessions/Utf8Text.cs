using System.Text;

namespace Chat.Server.Sessions;

/// <summary>Text bounded by its length in UTF-8, as the wire's fields are.</summary>
internal static class Utf8Text
{
    /// <summary>
    /// <paramref name="text"/> when it fits <paramref name="maxBytes"/> of UTF-8; otherwise as much of
    /// it as fits with <paramref name="ellipsis"/> after it, cut at a character boundary (never
    /// inside a surrogate pair), so that the reader sees it was cut.
    /// </summary>
    public static string Cut(string text, int maxBytes, string ellipsis)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount(ellipsis);
        var length = 0;
        var bytes = 0;
        while (length < text.Length)
        {
            var next = char.IsSurrogatePair(text, length) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(length, next));
            if (bytes + size > budget)
            {
                break;
            }

            bytes += size;
            length += next;
        }

        return string.Concat(text.AsSpan(0, length), ellipsis);
    }
}
