namespace Chat.LoadGen.Links;

/// <summary>How a client reaches the server: the chat port's TCP (plain or TLS), or WebSocket at <c>/ws</c>.</summary>
internal enum TransportKind
{
    /// <summary>Length-delimited frames on the chat port (PROTOCOL.md, "Transport and framing").</summary>
    Tcp,

    /// <summary>One protobuf message per binary WebSocket message, subprotocol <c>chat.v1</c>, on the HTTP port.</summary>
    WebSocket,
}

/// <summary>The <c>--transport</c> names.</summary>
internal static class TransportNames
{
    public const string Tcp = "tcp";
    public const string WebSocket = "ws";

    public static TransportKind? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        Tcp => TransportKind.Tcp,
        WebSocket or "websocket" => TransportKind.WebSocket,
        _ => null,
    };

    public static string Name(TransportKind kind) => kind == TransportKind.WebSocket ? WebSocket : Tcp;
}
