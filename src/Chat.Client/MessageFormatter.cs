using Chat.Protocol;

namespace Chat.Client.Console;

/// <summary>
/// How an incoming frame looks on the screen: one line, <c>* server: text</c> for a notice from the
/// server, <c>[from -> to] text</c> for a message from a user. The text is escaped
/// (<see cref="TerminalText"/>), so it can neither command the terminal nor start a line that
/// looks like a notice.
/// </summary>
internal static class MessageFormatter
{
    public static string Format(ChatMessage message, long ownId)
    {
        if (message.From == 0)
        {
            return $"* server: {TerminalText.Escape(message.Msg)}";
        }

        var to = message.To switch
        {
            ChatClient.Everyone => "all",
            var id when id == ownId => "me",
            0 => "me",
            var id => id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var from = message.From == ownId ? "me" : message.From.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"[{from} -> {to}] {TerminalText.Escape(message.Msg)}";
    }
}
