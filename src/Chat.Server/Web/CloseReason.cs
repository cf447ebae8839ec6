using System.Text;

namespace Chat.Server.Web;

/// <summary>The text of a close frame, which RFC 6455 bounds at 123 bytes of UTF-8.</summary>
internal static class CloseReason
{
    public const int MaxBytes = 123;

    /// <summary><paramref name="text"/>, cut at a character boundary to fit; null stays null.</summary>
    public static string? For(string? text)
    {
        if (text is null || Encoding.UTF8.GetByteCount(text) <= MaxBytes)
        {
            return text;
        }

        var length = text.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > MaxBytes - 3)
        {
            length--;
            if (length > 0 && char.IsLowSurrogate(text[length]))
            {
                length--;
            }
        }

        return string.Concat(text.AsSpan(0, length), "...");
    }
}
