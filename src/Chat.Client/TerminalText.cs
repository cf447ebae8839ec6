using System.Buffers;
using System.Globalization;
using System.Text;

namespace Chat.Client.Console;

/// <summary>
/// Makes text from the network safe to print on a terminal. Every control character (C0, DEL, C1)
/// and every character that reorders text or breaks the line (bidirectional overrides, embeddings,
/// isolates and marks, line and paragraph separators) is written as a visible escape: <c>\n</c>,
/// <c>\r</c>, <c>\t</c>, <c>\x1b</c>, <c>\u202e</c>. A backslash is doubled, so an escape on screen
/// always stands for the character, never for text that looks like one. The result has no line
/// break: one message stays one line, and nobody can start a line of their own, such as one that
/// looks like a notice from the server.
/// </summary>
/// <remarks>The Python client (<c>examples/python/chat_client.py</c>, <c>visible</c>) escapes the same characters the same way.</remarks>
internal static class TerminalText
{
    // Reorder what follows them, or break the line, without showing themselves.
    private const string Invisible = "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2028\u2029\u2066\u2067\u2068\u2069";

    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0xA0).Select(code => (char)code).Where(IsControl)) + "\\" + Invisible);

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Escaped);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (var character in text.AsSpan(first))
        {
            Append(builder, character);
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, char character)
    {
        switch (character)
        {
            case '\\':
                builder.Append(@"\\");
                break;
            case '\n':
                builder.Append(@"\n");
                break;
            case '\r':
                builder.Append(@"\r");
                break;
            case '\t':
                builder.Append(@"\t");
                break;
            case var control when IsControl(control):
                builder.Append(CultureInfo.InvariantCulture, $@"\x{(int)control:x2}");
                break;
            case var invisible when Invisible.Contains(invisible, StringComparison.Ordinal):
                builder.Append(CultureInfo.InvariantCulture, $@"\u{(int)invisible:x4}");
                break;
            default:
                builder.Append(character);
                break;
        }
    }

    // C0 (U+0000 to U+001F), DEL (U+007F) and C1 (U+0080 to U+009F).
    private static bool IsControl(char character) => character < '\u0020' || character is >= '\u007F' and < '\u00A0';
}
