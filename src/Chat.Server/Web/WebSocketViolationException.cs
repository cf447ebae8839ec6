using System.Net.WebSockets;

namespace Chat.Server.Web;

/// <summary>A WebSocket message that breaks PROTOCOL.md's "WebSocket" rules, with the close status that says so.</summary>
internal sealed class WebSocketViolationException : Exception
{
    public WebSocketViolationException()
    {
    }

    public WebSocketViolationException(string message)
        : base(message)
    {
    }

    public WebSocketViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebSocketViolationException(WebSocketCloseStatus status, string message)
        : base(message) => Status = status;

    public WebSocketCloseStatus Status { get; } = WebSocketCloseStatus.PolicyViolation;
}
