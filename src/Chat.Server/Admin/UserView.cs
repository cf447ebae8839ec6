using Chat.Server.Routing;
using Chat.Server.Sessions;

namespace Chat.Server.Admin;

/// <summary>One connected user as <c>list.users</c> and <c>show.user</c> show it (and their <c>--json</c>).</summary>
internal sealed record UserView(
    long Id,
    string RemoteAddress,
    string Transport,
    DateTimeOffset ConnectedAt,
    double ConnectedSeconds,
    double IdleSeconds,
    long MessagesIn,
    long BytesIn,
    long FramesOut,
    long BytesOut,
    long Deliveries,
    long QueuedBytes,
    bool Throttled)
{
    public static UserView Of(ChatSession session, ChatHub hub)
    {
        var clock = hub.TimeProvider;
        var counters = session.Counters;
        return new UserView(
            session.Id,
            session.RemoteEndPoint?.ToString() ?? "-",
            session.Transport,
            session.ConnectedAt,
            Math.Max(0, (clock.GetUtcNow() - session.ConnectedAt).TotalSeconds),
            clock.GetElapsedTime(counters.LastActivityTimestamp).TotalSeconds,
            counters.MessagesIn,
            counters.BytesIn,
            counters.FramesOut,
            counters.BytesOut,
            counters.Deliveries,
            session.QueuedBytes,
            session.IsThrottled);
    }
}
