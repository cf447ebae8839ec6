using System.Threading.Channels;
using StackExchange.Redis;

namespace Chat.Cluster.Redis;

public sealed partial class RedisClusterNode
{
    // At most this many messages from other nodes share one batch, so a steady stream still gets
    // its writes out regularly.
    private const int MaxInboundBatch = 256;

    // Runs on the presence subscription's sequential handler: events of one node in its order.
    private void OnPresence(ChannelMessage message)
    {
        if (!PresenceEvent.TryParse(message.Message.ToString(), out var presence))
        {
            Log.Malformed(_logger, message.Channel.ToString());
            return;
        }

        var now = _time.GetTimestamp();
        if (presence.Node == _settings.NodeName)
        {
            if (presence.Kind == PresenceEvent.Heartbeat)
            {
                // The self-probe: our own beat came back, so the subscription delivers.
                Volatile.Write(ref _lastSelfHeard, now);
            }
            else if (presence.Kind == PresenceEvent.Probe)
            {
                Volatile.Write(ref _lastSelfHeard, now);
                Volatile.Read(ref _presenceEcho)?.TrySetResult();
            }
            else if (presence.Kind == PresenceEvent.Who)
            {
                Reannounce();
            }

            return;
        }

        if (presence.Kind is PresenceEvent.Hello or PresenceEvent.Heartbeat or PresenceEvent.Lease)
        {
            // At once, even while a resync buffers the rest: the floor only ever rises, and a
            // lease this node is about to take must be above every lease announced so far.
            _ids.ObservePeerLease(presence.LongArgument(0));
        }

        if (presence.Kind is PresenceEvent.Who or PresenceEvent.Lease or PresenceEvent.Probe)
        {
            return;
        }

        lock (_announceGate)
        {
            if (_buffered is not null)
            {
                // A resync is reading the snapshot: this event is applied after it.
                _buffered.Add(presence);
                return;
            }

            ApplyPeerEvent(presence, now);
        }
    }

    private void ApplyPeerEvent(in PresenceEvent presence, long now)
    {
        if (_directory.Apply(presence, now) && presence.Kind != PresenceEvent.Hello && _redis is { } redis)
        {
            // A node this one had given up on (or never saw say hello): ask it for its users.
            redis.GetSubscriber().Publish(_keys.Presence, PresenceEvent.Format(PresenceEvent.Who, presence.Node), CommandFlags.FireAndForget);
        }
    }

    private void Reannounce()
    {
        if (!_linked || _redis is not { } redis)
        {
            return;
        }

        lock (_announceGate)
        {
            AnnounceAllLocked(redis.GetDatabase(), redis.GetSubscriber());
        }
    }

    // The inbound subscription's one reader: what each node sent here, in its order. Messages that
    // arrived together are delivered as one batch, so each local user they reach gets one write
    // for all of them rather than one a message.
    private async Task ReadInboundAsync(ChannelMessageQueue queue)
    {
        var inbox = _inbox!;
        try
        {
            while (true)
            {
                var message = await queue.ReadAsync();
                inbox.BeginBatch();
                try
                {
                    var taken = 0;
                    do
                    {
                        try
                        {
                            OnInbound(message);
                        }
                        catch (Exception exception) when (exception is not OutOfMemoryException)
                        {
                            // One bad message must not end the node's only reader.
                            Log.InboundFailed(_logger, exception);
                        }
                    }
                    while (++taken < MaxInboundBatch && queue.TryRead(out message));
                }
                finally
                {
                    inbox.EndBatch();
                }
            }
        }
        catch (ChannelClosedException)
        {
            // Unsubscribed: a resubscription has a reader of its own.
        }
    }

    // Runs on the inbound reader: what each node sent here, in its order.
    private void OnInbound(ChannelMessage message)
    {
        var inbox = _inbox!;
        byte[]? bytes = message.Message;
        if (bytes is null || !Envelope.TryRead(bytes, out var envelope))
        {
            Log.Malformed(_logger, message.Channel.ToString());
            return;
        }

        if (envelope.Kind == EnvelopeKind.Probe)
        {
            // The self-probe of this channel: the subscription delivers.
            Volatile.Write(ref _lastInboundHeard, _time.GetTimestamp());
            Volatile.Read(ref _inboundEcho)?.TrySetResult();
            return;
        }

        Interlocked.Increment(ref _messagesIn);
        switch (envelope.Kind)
        {
            case EnvelopeKind.Direct:
                if (!inbox.DeliverTo(envelope.Second, envelope.Payload))
                {
                    // Gone since the sender's node looked: tell the sender, rather than drop it silently.
                    Notice(envelope.First, $"user {envelope.Second} is not connected");
                }

                break;
            case EnvelopeKind.Broadcast:
                inbox.DeliverToAll(envelope.Payload);
                break;
            case EnvelopeKind.Kick:
                inbox.Kick(envelope.First, envelope.Text);
                break;
            case EnvelopeKind.Say:
                inbox.Announce(envelope.Text);
                break;
            case EnvelopeKind.Notice:
                inbox.Notice(envelope.First, envelope.Text);
                break;
        }
    }
}
