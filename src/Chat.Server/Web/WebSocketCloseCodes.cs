using System.Net.WebSockets;
using Chat.Protocol;
using Chat.Server.Sessions;

namespace Chat.Server.Web;

/// <summary>The close status that says why a WebSocket session ended (PROTOCOL.md, "WebSocket").</summary>
internal static class WebSocketCloseCodes
{
    /// <summary>1013, "try again later": a transient refusal. .NET's enum has no name for it.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>The status for a session that ended for <paramref name="reason"/>, after <paramref name="refusal"/> when it was refused.</summary>
    public static WebSocketCloseStatus For(DisconnectReason? reason, Refusal refusal) => reason switch
    {
        DisconnectReason.Refused => refusal is Refusal.RateLimited or Refusal.Unavailable
            ? TryAgainLater
            : WebSocketCloseStatus.PolicyViolation,
        DisconnectReason.Shutdown => WebSocketCloseStatus.EndpointUnavailable,
        DisconnectReason.ProtocolViolation => WebSocketCloseStatus.PolicyViolation,
        _ => WebSocketCloseStatus.NormalClosure,
    };
}
