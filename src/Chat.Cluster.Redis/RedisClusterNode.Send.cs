using System.Globalization;
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

        return PublishWatched(node, Envelope.Create(EnvelopeKind.Direct, from, recipient, frame), from, recipient);
    }

    public RemoteSend SendBroadcast(long from, ReadOnlySpan<byte> frame)
    {
        var nodes = _directory.LiveNodes();
        if (nodes.Length == 0)
        {
            return _linked ? RemoteSend.Sent : Unreachable();
        }

        // One envelope, published once to each other node's channel.
        var envelope = Envelope.Create(EnvelopeKind.Broadcast, from, MessageEveryone, frame);
        var outcome = RemoteSend.Sent;
        foreach (var node in nodes)
        {
            if (PublishWatched(node, envelope, from, MessageEveryone) != RemoteSend.Sent)
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

    // An operator's kick or say, or a notice: queued and forgotten. All publishes go out on one
    // connection, so what this node sends to one node's channel arrives there in order.
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

    // A user's message: queued and never awaited (many share each round trip and the read loop
    // never waits), but watched. Redis answers each PUBLISH with the number of subscribers that
    // took it; when the link fails while the message is on its way, or nobody took it (the node
    // died or lost its subscription and has not been found out yet), the sender gets the notice
    // that its recipient could not be reached instead of silence. The notice comes from another
    // thread, after the echo (see IClusterInbox.Notice).
    private RemoteSend PublishWatched(string node, byte[] envelope, long sender, long recipient)
    {
        if (!_linked || _redis is not { } redis)
        {
            return Unreachable();
        }

        Task<long> publish;
        try
        {
            publish = redis.GetSubscriber().PublishAsync(_keys.InboundOf(node), envelope);
        }
        catch (RedisException)
        {
            return Unreachable();
        }

        Interlocked.Increment(ref _messagesOut);
        publish.ContinueWith(
            static (task, state) => ((PublishWatch)state!).Completed(task),
            new PublishWatch(this, node, sender, recipient),
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
        return RemoteSend.Sent;
    }

    private RemoteSend Unreachable()
    {
        Interlocked.Increment(ref _messagesUnreachable);
        return RemoteSend.Unreachable;
    }

    private void Undelivered(string node, long sender, long recipient, bool linkFailed)
    {
        Interlocked.Increment(ref _messagesUnreachable);
        var why = linkFailed ? "the cluster link failed while it was on its way" : string.Create(CultureInfo.InvariantCulture, $"node {node} did not take it");
        _inbox?.Notice(sender, recipient == MessageEveryone
            ? $"your message could not reach the users on node {node} ({why})"
            : string.Create(CultureInfo.InvariantCulture, $"user {recipient} could not be reached ({why})"));
    }

    private sealed class PublishWatch(RedisClusterNode owner, string node, long sender, long recipient)
    {
        public void Completed(Task<long> publish)
        {
            if (!publish.IsCompletedSuccessfully)
            {
                _ = publish.Exception; // observed: the notice is its handling
                owner.Undelivered(node, sender, recipient, linkFailed: true);
            }
            else if (publish.Result == 0)
            {
                owner.Undelivered(node, sender, recipient, linkFailed: false);
            }
        }
    }
}
