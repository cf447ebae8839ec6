using Chat.Cluster.Redis;
using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>What other nodes ask of this one, carried out on the local registry; nothing here waits.</summary>
internal sealed class ClusterInbox : IClusterInbox
{
    private readonly ChatHub _hub;

    public ClusterInbox(ChatHub hub) => _hub = hub;

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

    public void Notice(long recipient, string text)
    {
        if (_hub.Registry.TryGet(recipient, out var session))
        {
            session.Deliver(ServerNotices.Frame(recipient, text));
        }
    }

    public IReadOnlyCollection<long> LocalUserIds() => _hub.Registry.Ids;
}
