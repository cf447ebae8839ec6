using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Chat.Server.Sessions;

/// <summary>Sorts the exceptions a connection ends with into normal endings and faults.</summary>
internal static class ConnectionErrors
{
    /// <summary>Resets, aborts and cancellation end a connection normally (STYLE.md, "Errors at the edges").</summary>
    public static bool IsNormalEnd(Exception exception) => exception is
        ConnectionResetException or ConnectionAbortedException or OperationCanceledException or
        SocketException or IOException or ObjectDisposedException or InvalidOperationException { Source: "System.IO.Pipelines" };
}
