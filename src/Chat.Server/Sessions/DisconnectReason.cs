namespace Chat.Server.Sessions;

/// <summary>Why a connection ended. Every disconnect has exactly one, recorded once.</summary>
public enum DisconnectReason
{
    /// <summary>The client closed or reset its connection.</summary>
    ClientClosed,

    /// <summary>The handshake was refused (full, shutting down, ...).</summary>
    Refused,

    /// <summary>The client broke the wire contract.</summary>
    ProtocolViolation,

    /// <summary>The client stopped reading and its queue passed the bound.</summary>
    SlowConsumer,

    /// <summary>The client sent nothing for longer than the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The handshake could not be written in time.</summary>
    HandshakeTimeout,

    /// <summary>An operator kicked the user.</summary>
    Kicked,

    /// <summary>The server shut down.</summary>
    Shutdown,

    /// <summary>The server failed while serving this connection.</summary>
    ServerError,
}
