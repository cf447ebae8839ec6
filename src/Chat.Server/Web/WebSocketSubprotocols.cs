namespace Chat.Server.Web;

/// <summary>The subprotocols of PROTOCOL.md's "WebSocket" section, and which one a client gets.</summary>
internal static class WebSocketSubprotocols
{
    public const string Binary = "chat.v1";
    public const string Json = "chat.v1.json";

    /// <summary>
    /// The first subprotocol the client names that the server speaks; <c>chat.v1</c> when it names
    /// none. False when it names only others, so that it is not handed a format it did not ask for.
    /// </summary>
    public static bool TryChoose(IList<string> requested, out WebSocketFormat format, out string? subprotocol)
    {
        format = WebSocketFormat.Binary;
        subprotocol = null;
        if (requested.Count == 0)
        {
            return true;
        }

        foreach (var name in requested)
        {
            if (name == Binary || name == Json)
            {
                format = name == Json ? WebSocketFormat.Json : WebSocketFormat.Binary;
                subprotocol = name;
                return true;
            }
        }

        return false;
    }
}
