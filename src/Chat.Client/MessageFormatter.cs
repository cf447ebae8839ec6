using Chat.Protocol;

namespace Chat.Client.Console;

/// <summary>How an incoming frame looks on the screen.</summary>
internal static class MessageFormatter
{
    public static string Format(ChatMessage message, long ownId)
    {
        if (message.From == 0)
        {
            return $"* server: {message.Msg}";
        }

        var to = message.To switch
        {
            ChatClient.Everyone => "all",
            var id when id == ownId => "me",
            0 => "me",
            var id => id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var from = message.From == ownId ? "me" : message.From.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"[{from} -> {to}] {message.Msg}";
    }
}
