using System.Globalization;
using StackExchange.Redis;

namespace Chat.Cluster.Redis;

public sealed partial class RedisClusterNode
{
    // Raises the counter to the floor (the highest id this node knows was leased, so a Redis that
    // lost its data never hands out an id again), then leases one block. One script: atomic.
    private const string LeaseScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        local floor = tonumber(ARGV[1])
        if current < floor then redis.call('SET', KEYS[1], floor) end
        return redis.call('INCRBY', KEYS[1], ARGV[2])
        """;

    // Join events carry this many ids at most, so republishing thousands of users stays in small messages.
    private const int IdsPerEvent = 500;

    private readonly SemaphoreSlim _resyncGate = new(1, 1);
    private ChannelMessageQueue? _presenceQueue;
    private ChannelMessageQueue? _inboundQueue;
    private List<PresenceEvent>? _buffered;
    private string? _generation;

    private async Task<long> LeaseAsync(long floor)
    {
        var database = _redis!.GetDatabase();
        var result = await database.ScriptEvaluateAsync(LeaseScript, [_keys.Ids],
            [floor.ToString(CultureInfo.InvariantCulture), _settings.IdBlockSize.ToString(CultureInfo.InvariantCulture)]);
        return (long)result;
    }

    /// <summary>
    /// (Re)joins the cluster: subscribe first, then read the snapshot, then apply the events that
    /// arrived meanwhile, then announce this node and its users. Only then is the node linked, so a
    /// user who joins anywhere during this is never missed. Failures leave it unlinked for the next try.
    /// </summary>
    private async Task TryResyncAsync()
    {
        if (!await _resyncGate.WaitAsync(0))
        {
            return;
        }

        try
        {
            var redis = _redis!;
            var subscriber = redis.GetSubscriber();
            var database = redis.GetDatabase();
            lock (_announceGate)
            {
                _buffered = [];
            }

            // Subscribing anew (not trusting the old subscription) also repairs one that went silent.
            if (_presenceQueue is not null)
            {
                await _presenceQueue.UnsubscribeAsync();
            }

            if (_inboundQueue is not null)
            {
                await _inboundQueue.UnsubscribeAsync();
            }

            // Sequential handlers: StackExchange.Redis keeps a channel's order only with these.
            _presenceQueue = await subscriber.SubscribeAsync(_keys.Presence);
            _presenceQueue.OnMessage(OnPresence);
            _inboundQueue = await subscriber.SubscribeAsync(_keys.Inbound);
            _inboundQueue.OnMessage(OnInbound);

            // A Redis that lost its data (restarted without persistence) has a new generation: then
            // the ids left in this node's blocks may be below ids other nodes leased since, so
            // they are dropped and a block above every known lease is taken instead.
            await database.StringSetAsync(_keys.Generation, Guid.NewGuid().ToString("N"), when: When.NotExists);
            var generation = (string?)await database.StringGetAsync(_keys.Generation);
            var renew = _generation is not null && generation != _generation;
            _generation = generation;
            if (renew)
            {
                Log.CounterReset(_logger, _ids.Floor);
                await _ids.RenewAsync();
            }
            else
            {
                await _ids.EnsureLeaseAsync();
            }

            var snapshot = await ReadSnapshotAsync(database);
            var now = _time.GetTimestamp();
            lock (_announceGate)
            {
                _directory.Reset(snapshot, now);
                foreach (var presence in _buffered)
                {
                    ApplyPeerEvent(presence, now);
                }

                _buffered = null;
                AnnounceAllLocked(database, subscriber);
            }

            await WriteHeartbeatAsync(database, subscriber);
            _lastSelfHeard = _time.GetTimestamp();
            _linked = true;
            _directory.RaiseChanged();
            Log.Linked(_logger, _settings.ClusterName, _settings.NodeName, snapshot.Count, _directory.UserCount);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            lock (_announceGate)
            {
                _buffered = null;
            }

            Log.ResyncFailed(_logger, exception.Message);
        }
        finally
        {
            _resyncGate.Release();
        }
    }

    // Every node whose heartbeat is recent, with its users; this node's own entry is left out.
    private async Task<Dictionary<string, long[]>> ReadSnapshotAsync(IDatabase database)
    {
        var since = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_settings.NodeTimeout.TotalMilliseconds;
        var names = await database.SortedSetRangeByScoreAsync(_keys.Nodes, since, double.PositiveInfinity);
        var nodes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var name in names.Select(name => name.ToString()).Where(name => name != _settings.NodeName))
        {
            var users = await database.SetMembersAsync(_keys.UsersOf(name));
            nodes[name] = [.. users.Select(user => (long)user)];
        }

        return nodes;
    }

    // Tells every peer to forget what it knew of this node, then who is here now. Under the
    // announce lock, so no single join or leave overtakes it.
    private void AnnounceAllLocked(IDatabase database, ISubscriber subscriber)
    {
        var users = _inbox!.LocalUserIds();
        database.KeyDelete(_keys.OwnUsers, CommandFlags.FireAndForget);
        subscriber.Publish(_keys.Presence,
            PresenceEvent.Format(PresenceEvent.Hello, _settings.NodeName, _ids.LeaseEnd.ToString(CultureInfo.InvariantCulture), _settings.Address),
            CommandFlags.FireAndForget);
        foreach (var chunk in users.Chunk(IdsPerEvent))
        {
            database.SetAdd(_keys.OwnUsers, [.. chunk.Select(id => (RedisValue)id)], CommandFlags.FireAndForget);
            subscriber.Publish(_keys.Presence, PresenceEvent.FormatIds(PresenceEvent.Join, _settings.NodeName, chunk), CommandFlags.FireAndForget);
        }
    }

    private async Task WriteHeartbeatAsync(IDatabase database, ISubscriber subscriber)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var timeout = _settings.NodeTimeout;
        // The keys live one timeout past the last beat: a node that dies leaves no ghosts behind.
        await Task.WhenAll(
            database.StringSetAsync(_keys.OwnAlive, _settings.Address, timeout),
            database.KeyExpireAsync(_keys.OwnUsers, timeout),
            database.SortedSetAddAsync(_keys.Nodes, _settings.NodeName, now),
            database.SortedSetRemoveRangeByScoreAsync(_keys.Nodes, double.NegativeInfinity, now - (10 * timeout.TotalMilliseconds)),
            subscriber.PublishAsync(_keys.Presence,
                PresenceEvent.Format(PresenceEvent.Heartbeat, _settings.NodeName, _ids.LeaseEnd.ToString(CultureInfo.InvariantCulture), _settings.Address)));
    }

    private async Task RunHeartbeatAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_settings.HeartbeatInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await BeatAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping is the normal end of the loop.
        }
    }

    private async Task BeatAsync()
    {
        var redis = _redis!;
        if (!_linked)
        {
            if (redis.IsConnected)
            {
                await TryResyncAsync();
            }

            return;
        }

        try
        {
            await WriteHeartbeatAsync(redis.GetDatabase(), redis.GetSubscriber());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.HeartbeatFailed(_logger, exception.Message);
            return;
        }

        var timeout = _settings.NodeTimeout;
        if (_time.GetElapsedTime(Volatile.Read(ref _lastSelfHeard)) > timeout)
        {
            // The connection is up but our own beats stopped arriving: the subscription is dead.
            Log.SubscriptionSilent(_logger, timeout);
            _linked = false;
            await TryResyncAsync();
            return;
        }

        var deadline = _time.GetTimestamp() - (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        foreach (var dead in _directory.ExpireSilentNodes(deadline))
        {
            Log.NodeDead(_logger, dead, timeout);
        }
    }
}
