using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using Chat.Protocol;

namespace Chat.LoadGen;

/// <summary>The ways a connection fails to open that a run counts as an error rather than a crash.</summary>
internal static class ConnectErrors
{
    public static bool IsConnectFailure(Exception exception) =>
        exception is SocketException or IOException or AuthenticationException or HandshakeException or OperationCanceledException
            or ProtocolViolationException or WebSocketException;
}
