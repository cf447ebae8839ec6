namespace Chat.Server.Web;

/// <summary>How one WebSocket carries the protocol's messages (PROTOCOL.md, "WebSocket").</summary>
internal enum WebSocketFormat
{
    /// <summary><c>chat.v1</c>: binary messages holding the protobuf encoding, no length prefix.</summary>
    Binary,

    /// <summary><c>chat.v1.json</c>: text messages holding the proto3 JSON mapping.</summary>
    Json,
}
