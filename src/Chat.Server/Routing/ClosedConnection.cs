using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>What the server remembers of one closed connection, for <c>closed.users</c>.</summary>
internal sealed record ClosedConnection(
    long Id,
    string RemoteEndPoint,
    DateTimeOffset ConnectedAt,
    TimeSpan Duration,
    long MessagesIn,
    long FramesOut,
    DisconnectReason Reason,
    string? Detail);
