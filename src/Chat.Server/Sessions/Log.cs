using System.Net;
using Chat.Protocol;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Sessions;

internal static partial class Log
{
    private static readonly Func<ILogger, string, EndPoint?, IDisposable?> ConnectionScope =
        LoggerMessage.DefineScope<string, EndPoint?>("Connection {ConnectionId} from {RemoteEndPoint}");

    public static IDisposable? BeginConnectionScope(ILogger logger, string connectionId, EndPoint? remote) =>
        ConnectionScope(logger, connectionId, remote);

    // Comings and goings are Debug, as in other servers: a class that connects at once, or a busy
    // server's churn, would otherwise write two console lines a connection and spend its CPU there.
    // closed.users, the stats and the metrics keep them for the operator.
    [LoggerMessage(100, LogLevel.Debug, "User {UserId} connected from {RemoteEndPoint}", EventName = "UserConnected")]
    public static partial void UserConnected(ILogger logger, long userId, EndPoint? remoteEndPoint);

    /// <summary>A user's end: Information when something or someone ended it, Debug when it ended as connections do.</summary>
    public static void UserDisconnected(ILogger logger, long userId, DisconnectReason reason, string? detail) =>
        LogUserDisconnected(logger, IsRoutine(reason) ? LogLevel.Debug : LogLevel.Information, userId, reason, detail);

    [LoggerMessage(EventId = 101, Message = "User {UserId} disconnected: {Reason}; {Detail}", EventName = "UserDisconnected")]
    private static partial void LogUserDisconnected(ILogger logger, LogLevel level, long userId, DisconnectReason reason, string? detail);

    [LoggerMessage(102, LogLevel.Information, "Handshake refused for {RemoteEndPoint}: {Refusal} ({Reason})", EventName = "HandshakeRefused")]
    public static partial void HandshakeRefused(ILogger logger, EndPoint? remoteEndPoint, Refusal refusal, string reason);

    [LoggerMessage(103, LogLevel.Debug, "User {UserId} broke the protocol: {Detail}", EventName = "ProtocolViolation")]
    public static partial void ProtocolViolation(ILogger logger, long userId, string detail);

    [LoggerMessage(104, LogLevel.Error, "Serving user {UserId} failed", EventName = "SessionFailed")]
    public static partial void SessionFailed(ILogger logger, long userId, Exception exception);

    [LoggerMessage(105, LogLevel.Information, "User {UserId} aborted: {Reason} ({Detail})", EventName = "SessionAborted")]
    public static partial void SessionAborted(ILogger logger, long userId, DisconnectReason reason, string detail);

    private static bool IsRoutine(DisconnectReason reason) =>
        reason is DisconnectReason.ClientClosed or DisconnectReason.IdleTimeout or DisconnectReason.Shutdown or DisconnectReason.HandshakeTimeout;
}
