using StackExchange.Redis;

namespace Chat.Cluster.Redis;

public sealed partial class RedisClusterNode
{
    // The to of a broadcast, kept in its envelope for whoever reads one by hand.
    private const long MessageEveryone = -1;

    public RemoteSend SendDirect(long from, long recipient, ReadOnlySpan<byte> frame)
    {
        if (!_directory.TryLocate(recipient, out var node))
        {
            return RemoteSend.NotFound;
        }

        return Publish(node, Envelope.Create(EnvelopeKind.Direct, from, recipient, frame));
    }

    public RemoteSend SendBroadcast(long from, ReadOnlySpan<byte> frame)
    {
        var nodes = _directory.LiveNodes();
        if (nodes.Length == 0)
        {
            return _linked ? RemoteSend.Sent : RemoteSend.Unreachable;
        }

        // One envelope, published once to each other node's channel.
        var envelope = Envelope.Create(EnvelopeKind.Broadcast, from, MessageEveryone, frame);
        var outcome = RemoteSend.Sent;
        foreach (var node in nodes)
        {
            if (Publish(node, envelope) != RemoteSend.Sent)
            {
                outcome = RemoteSend.Unreachable;
            }
        }

        return outcome;
    }

    public RemoteSend Kick(long id, string notice) =>
        _directory.TryLocate(id, out var node) ? Publish(node, Envelope.Create(EnvelopeKind.Kick, id, notice)) : RemoteSend.NotFound;

    public RemoteSend Say(string text, out int nodes)
    {
        var names = _directory.LiveNodes();
        nodes = 0;
        var envelope = Envelope.Create(EnvelopeKind.Say, 0, text);
        var outcome = _linked ? RemoteSend.Sent : RemoteSend.Unreachable;
        foreach (var node in names)
        {
            if (Publish(node, envelope) == RemoteSend.Sent)
            {
                nodes++;
            }
            else
            {
                outcome = RemoteSend.Unreachable;
            }
        }

        return outcome;
    }

    public RemoteSend Notice(long recipient, string text) =>
        _directory.TryLocate(recipient, out var node) ? Publish(node, Envelope.Create(EnvelopeKind.Notice, recipient, text)) : RemoteSend.NotFound;

    // Queues one publish and returns: fire-and-forget, so many messages share each round trip and
    // the read loop never waits. All of them go out on one connection, so what this node sends to
    // one node's channel arrives there in order.
    private RemoteSend Publish(string node, byte[] envelope)
    {
        if (!_linked || _redis is not { } redis)
        {
            return RemoteSend.Unreachable;
        }

        try
        {
            redis.GetSubscriber().Publish(_keys.InboundOf(node), envelope, CommandFlags.FireAndForget);
            Interlocked.Increment(ref _messagesOut);
            return RemoteSend.Sent;
        }
        catch (RedisException)
        {
            return RemoteSend.Unreachable;
        }
    }
}
