namespace Chat.Server.Admin;

/// <summary>One closed connection as <c>closed.users --json</c> shows it.</summary>
internal sealed record ClosedUserView(
    long Id,
    string RemoteAddress,
    DateTimeOffset ConnectedAt,
    double ConnectedSeconds,
    long MessagesIn,
    long FramesOut,
    string Reason,
    string? Detail);
