using System.Globalization;

namespace Chat.Client.Console;

/// <summary>What one typed line asks for: <c>/quit</c>, <c>@ID text</c> to one user, or text to everyone.</summary>
internal readonly record struct InputLine(InputKind Kind, long To, string Text, string? Error)
{
    public static InputLine Parse(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return new InputLine(InputKind.Nothing, 0, string.Empty, null);
        }

        if (trimmed is "/quit" or "/exit")
        {
            return new InputLine(InputKind.Quit, 0, string.Empty, null);
        }

        if (trimmed[0] != '@')
        {
            return new InputLine(InputKind.Send, ChatClient.Everyone, line, null);
        }

        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var idText = space < 0 ? trimmed[1..] : trimmed[1..space];
        if (!long.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var to))
        {
            return new InputLine(InputKind.Nothing, 0, string.Empty, $"'{idText}' is not a user id; write @ID text");
        }

        return new InputLine(InputKind.Send, to, space < 0 ? string.Empty : trimmed[(space + 1)..], null);
    }
}

internal enum InputKind
{
    Nothing,
    Send,
    Quit,
}
