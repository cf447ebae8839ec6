namespace Chat.LoadGen.Links;

/// <summary>
/// How a client reaches the server: the chat port's TCP (plain or TLS), or WebSocket at <c>/ws</c>;
/// or a Redis server in RESP, to measure it with this same generator.
/// </summary>
internal enum TransportKind
{
    /// <summary>Length-delimited frames on the chat port (PROTOCOL.md, "Transport and framing").</summary>
    Tcp,

    /// <summary>One protobuf message per binary WebSocket message, subprotocol <c>chat.v1</c>, on the HTTP port.</summary>
    WebSocket,

    /// <summary>A Redis server's port: <c>PING</c> for the handshake, <c>ECHO</c> of the same <c>msg</c> for a message.</summary>
    Resp,
}

/// <summary>The <c>--transport</c> names.</summary>
internal static class TransportNames
{
    public const string Tcp = "tcp";
    public const string WebSocket = "ws";
    public const string Resp = "resp";

    public static TransportKind? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        Tcp => TransportKind.Tcp,
        WebSocket or "websocket" => TransportKind.WebSocket,
        Resp => TransportKind.Resp,
        _ => null,
    };

    public static string Name(TransportKind kind) => kind switch
    {
        TransportKind.WebSocket => WebSocket,
        TransportKind.Resp => Resp,
        _ => Tcp,
    };
}
