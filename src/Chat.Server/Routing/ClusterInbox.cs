using Chat.Cluster.Redis;
using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>What other nodes ask of this one, carried out on the local registry; nothing here waits.</summary>
internal sealed class ClusterInbox : IClusterInbox
{
    private readonly ChatHub _hub;
    private readonly Func<string> _figures;

    /// <param name="hub">The local users.</param>
    /// <param name="figures">This node's figures, as its heartbeat carries them to the other nodes.</param>
    public ClusterInbox(ChatHub hub, Func<string> figures)
    {
        _hub = hub;
        _figures = figures;
    }

    // Begin and end come in pairs on the thread that delivers; the opened flag stays with it.
    [ThreadStatic]
    private static bool t_batchOpened;

    public void BeginBatch() => t_batchOpened = ChatSession.BeginBatch();

    public void EndBatch() => ChatSession.EndBatch(t_batchOpened);

    public bool DeliverTo(long recipient, ReadOnlySpan<byte> frame)
    {
        if (!_hub.Registry.TryGet(recipient, out var session))
        {
            return false;
        }

        session.Deliver(frame);
        return true;
    }

    public void DeliverToAll(ReadOnlySpan<byte> frame)
    {
        foreach (var session in _hub.Registry.Sessions)
        {
            session.Deliver(frame);
        }
    }

    public void Kick(long id, string notice)
    {
        if (_hub.Registry.TryGet(id, out var session))
        {
            session.Close(DisconnectReason.Kicked, notice);
        }
    }

    public void Announce(string text) => _hub.Announce(text);

    // After the batch the user's read loop may be routing: a notice about a message this node sent
    // on (it failed on its way) comes after that message's echo.
    public void Notice(long recipient, string text)
    {
        if (_hub.Registry.TryGet(recipient, out var session))
        {
            session.DeliverAfterRouting(ServerNotices.Frame(recipient, text));
        }
    }

    public IReadOnlyCollection<ClusterUser> LocalUsers() =>
        [.. _hub.Registry.Sessions
            .Where(session => session.Id > 0)
            .Select(ClusterUsers.Of)];

    public string Figures() => _figures();
}
