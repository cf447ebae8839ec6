using Chat.Cluster.Redis;
using Chat.Server.Routing;
using Chat.Server.Sessions;

namespace Chat.Server.Admin;

/// <summary>
/// One connected user as <c>list.users</c> and <c>show.user</c> show it (and their <c>--json</c>).
/// In cluster mode <see cref="Node"/> names the node that holds the user (null when the server runs
/// alone); for a user on another node only what that node announced is known (address, transport,
/// when they connected), and the figures only their own node keeps are null.
/// </summary>
internal sealed record UserView(
    long Id,
    string RemoteAddress,
    string Transport,
    DateTimeOffset? ConnectedAt,
    double? ConnectedSeconds,
    double? IdleSeconds,
    long? MessagesIn,
    long? BytesIn,
    long? FramesOut,
    long? BytesOut,
    long? Deliveries,
    long? QueuedBytes,
    bool? Throttled,
    string? Node)
{
    /// <summary>False for a user on another node, whose traffic figures that node keeps.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsLocal => MessagesIn is not null;

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
            session.IsThrottled,
            hub.Presence?.NodeName);
    }

    public static UserView Of(RemoteUser remote, ChatHub hub)
    {
        var user = remote.User;
        return new UserView(
            user.Id,
            user.Address,
            user.Transport,
            user.ConnectedAt,
            user.ConnectedAt is { } at ? Math.Max(0, (hub.TimeProvider.GetUtcNow() - at).TotalSeconds) : null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            remote.Node);
    }
}
