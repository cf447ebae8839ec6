using System.Globalization;
using StackExchange.Redis;

namespace Chat.Cluster.Redis;

public sealed partial class RedisClusterNode
{
    // Raises the counter to the floor (the highest id this node knows was leased, so a Redis that
    // lost its data never hands out an id again), leases one block, and tells every node of it on
    // the presence channel. One script: atomic, so no node can miss a lease that was taken and
    // then lost with Redis (were it announced later, Redis could die in between).
    private const string LeaseScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        local floor = tonumber(ARGV[1])
        if current < floor then redis.call('SET', KEYS[1], floor) end
        local last = redis.call('INCRBY', KEYS[1], ARGV[2])
        redis.call('PUBLISH', ARGV[3], 'lease ' .. ARGV[4] .. ' ' .. last)
        return last
        """;

    // Sets the generation when Redis has none (it is new, or lost its data), and with it the
    // settling key for one node timeout; answers the generation and the settling time left (ms).
    private const string GenerationScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
          redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
        end
        return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[2])}
        """;

    // Join events carry this many users at most, so republishing thousands of users stays in small messages.
    private const int UsersPerEvent = 200;

    // What a node publishes to its own inbound channel at every heartbeat; it must come back.
    private static readonly byte[] ProbeEnvelope = Envelope.Create(EnvelopeKind.Probe, 0, 0, []);

    private readonly SemaphoreSlim _resyncGate = new(1, 1);
    private ChannelMessageQueue? _presenceQueue;
    private ChannelMessageQueue? _inboundQueue;
    private List<PresenceEvent>? _buffered;
    private string? _generation;
    private TaskCompletionSource? _presenceEcho;
    private TaskCompletionSource? _inboundEcho;
    private int _links;

    private async Task<long> LeaseAsync(long floor)
    {
        var database = _redis!.GetDatabase();
        var result = await database.ScriptEvaluateAsync(LeaseScript, [_keys.Ids],
        [
            floor.ToString(CultureInfo.InvariantCulture),
            _settings.IdBlockSize.ToString(CultureInfo.InvariantCulture),
            _keys.Presence.ToString(),
            _settings.NodeName,
        ]);
        return (long)result;
    }

    /// <summary>
    /// (Re)joins the cluster: subscribe first (and see both subscriptions deliver), then read the
    /// snapshot, then apply the events that arrived meanwhile, then announce this node and its
    /// users. Only then is the node linked, so a user who joins anywhere during this is never
    /// missed. Failures leave it unlinked for the next try.
    /// </summary>
    /// <param name="resubscribe">
    /// Subscribe anew even though the client holds the subscriptions: they went silent. After a
    /// lost connection the client restores them itself, and subscribing anew would open a gap in
    /// which messages for this node are lost; the probes below find out whether it did.
    /// </param>
    private async Task TryResyncAsync(bool resubscribe = false)
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

            if (_presenceQueue is null || resubscribe)
            {
                await SubscribeAsync(subscriber);
            }

            if (!await SubscriptionsDeliverAsync(subscriber))
            {
                // Redis or the client lost a subscription the client still counts: subscribe anew.
                Log.SubscriptionSilent(_logger, ProbeTimeout);
                await SubscribeAsync(subscriber);
                if (!await SubscriptionsDeliverAsync(subscriber))
                {
                    throw new TimeoutException($"this node's own probes did not come back within {ProbeTimeout.TotalSeconds:0.#} s of subscribing");
                }
            }

            await LeaseAfterGenerationCheckAsync(database);

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
            _lastInboundHeard = _lastSelfHeard;
            Interlocked.Increment(ref _links);
            _linked = true;
            _directory.RaiseChanged();
            Log.Linked(_logger, _settings.ClusterName, _settings.NodeName, snapshot.Count, _directory.UserCount);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException)
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

    // How long a probe of this node's own subscriptions may take to come back.
    private TimeSpan ProbeTimeout => _settings.HeartbeatInterval > TimeSpan.FromSeconds(1) ? _settings.HeartbeatInterval : TimeSpan.FromSeconds(1);

    // Drops this node's subscriptions, if any, and makes them anew: the one way to have the client
    // send SUBSCRIBE again for a channel it believes it is subscribed to.
    private async Task SubscribeAsync(ISubscriber subscriber)
    {
        if (_presenceQueue is not null)
        {
            await _presenceQueue.UnsubscribeAsync();
        }

        if (_inboundQueue is not null)
        {
            await _inboundQueue.UnsubscribeAsync();
        }

        // Sequential handling: StackExchange.Redis keeps a channel's order only with a queue read
        // by one reader (its sequential handler, or a loop of our own).
        _presenceQueue = await subscriber.SubscribeAsync(_keys.Presence);
        _presenceQueue.OnMessage(OnPresence);
        _inboundQueue = await subscriber.SubscribeAsync(_keys.Inbound);
        _ = ReadInboundAsync(_inboundQueue);
    }

    // Publishes a probe on both channels and waits for both to come back: from then on the
    // subscriptions deliver, so a snapshot read after this misses nothing.
    private async Task<bool> SubscriptionsDeliverAsync(ISubscriber subscriber)
    {
        var presence = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _presenceEcho, presence);
        Volatile.Write(ref _inboundEcho, inbound);
        await Task.WhenAll(
            subscriber.PublishAsync(_keys.Presence, PresenceEvent.Format(PresenceEvent.Probe, _settings.NodeName)),
            subscriber.PublishAsync(_keys.Inbound, ProbeEnvelope));
        var both = Task.WhenAll(presence.Task, inbound.Task);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var expired = Task.Delay(ProbeTimeout, _time, timeout.Token);
        var delivered = await Task.WhenAny(both, expired) == both;
        await timeout.CancelAsync();
        _stopping.Token.ThrowIfCancellationRequested();
        return delivered;
    }

    // A Redis that lost its data (restarted without persistence) has a new generation. Then the ids
    // left in this node's blocks may be below ids other nodes leased since, so they are dropped and
    // a block above every known lease is taken instead. A node that never held ids has no floor to
    // raise the counter to: when the generation is that young, it waits out the settling time, in
    // which every node that outlived the restart rejoins and raises the counter to its own floor.
    private async Task LeaseAfterGenerationCheckAsync(IDatabase database)
    {
        var answer = (RedisResult[])(await database.ScriptEvaluateAsync(GenerationScript, [_keys.Generation, _keys.Settling],
        [
            Guid.NewGuid().ToString("N"),
            ((long)_settings.NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ]))!;
        var generation = (string?)answer[0];
        var settlingMs = (long)answer[1];
        var renew = _generation is not null && generation != _generation;
        var firstLink = _generation is null;
        _generation = generation;
        if (renew)
        {
            Log.CounterReset(_logger, _ids.Floor);
            await _ids.RenewAsync();
            return;
        }

        if (firstLink && settlingMs > 0)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Min(settlingMs, _settings.NodeTimeout.TotalMilliseconds));
            Log.Settling(_logger, wait);
            await Task.Delay(wait, _time, _stopping.Token);
        }

        await _ids.EnsureLeaseAsync();
    }

    // Every node whose heartbeat key lives, with its users; this node's own entry is left out.
    // Whether a node lives is Redis's word (its key's TTL), so no two machines' clocks are compared.
    private async Task<Dictionary<string, ClusterUser[]>> ReadSnapshotAsync(IDatabase database)
    {
        var names = (await database.SortedSetRangeByRankAsync(_keys.Nodes))
            .Select(name => name.ToString())
            .Where(name => name != _settings.NodeName)
            .ToList();
        var alive = names.Select(name => database.KeyExistsAsync(_keys.AliveOf(name))).ToArray();
        var users = names.Select(name => database.HashGetAllAsync(_keys.UsersOf(name))).ToArray();
        await Task.WhenAll(alive);
        await Task.WhenAll(users);
        var nodes = new Dictionary<string, ClusterUser[]>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (alive[i].Result)
            {
                nodes[names[i]] =
                [
                    .. users[i].Result
                        .Select(entry => ClusterUser.TryParseId(entry.Name.ToString(), out var id) ? ClusterUser.ParseDetails(id, entry.Value.ToString()) : null)
                        .OfType<ClusterUser>(),
                ];
            }
        }

        return nodes;
    }

    // Tells every peer to forget what it knew of this node, then who is here now. Under the
    // announce lock, so no single join or leave overtakes it.
    private void AnnounceAllLocked(IDatabase database, ISubscriber subscriber)
    {
        var users = _inbox!.LocalUsers();
        database.KeyDelete(_keys.OwnUsers, CommandFlags.FireAndForget);
        subscriber.Publish(_keys.Presence,
            PresenceEvent.Format(PresenceEvent.Hello, _settings.NodeName, _ids.LeaseEnd.ToString(CultureInfo.InvariantCulture), _settings.Address),
            CommandFlags.FireAndForget);
        foreach (var chunk in users.Chunk(UsersPerEvent))
        {
            database.HashSet(_keys.OwnUsers, [.. chunk.Select(user => new HashEntry(user.Id, user.FormatDetails()))], CommandFlags.FireAndForget);
            subscriber.Publish(_keys.Presence, PresenceEvent.FormatUsers(_settings.NodeName, chunk), CommandFlags.FireAndForget);
        }
    }

    // Refreshes this node's keys, announces it with its figures, and probes its own inbound
    // subscription; answers how many subscribers took the probe (0: the subscription is gone).
    private async Task<long> WriteHeartbeatAsync(IDatabase database, ISubscriber subscriber)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var timeout = _settings.NodeTimeout;
        var figures = PresenceEvent.Word(_inbox!.Figures());
        var started = _time.GetTimestamp();
        var probe = subscriber.PublishAsync(_keys.Inbound, ProbeEnvelope);
        // The keys live one timeout past the last beat: a node that dies leaves no ghosts behind.
        await Task.WhenAll(
            database.StringSetAsync(_keys.OwnAlive, _settings.Address, timeout),
            database.KeyExpireAsync(_keys.OwnUsers, timeout),
            database.SortedSetAddAsync(_keys.Nodes, _settings.NodeName, now),
            database.SortedSetRemoveRangeByScoreAsync(_keys.Nodes, double.NegativeInfinity, now - (10 * timeout.TotalMilliseconds)),
            subscriber.PublishAsync(_keys.Presence,
                PresenceEvent.Format(PresenceEvent.Heartbeat, _settings.NodeName, _ids.LeaseEnd.ToString(CultureInfo.InvariantCulture), _settings.Address, figures)),
            probe);
        Volatile.Write(ref _roundTripTicks, _time.GetElapsedTime(started).Ticks);
        return await probe;
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

        long probed;
        try
        {
            probed = await WriteHeartbeatAsync(redis.GetDatabase(), redis.GetSubscriber());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.HeartbeatFailed(_logger, exception.Message);
            return;
        }

        var timeout = _settings.NodeTimeout;
        if (probed == 0)
        {
            // Redis says nobody listens on this node's channel: the subscription is gone, though the
            // connection is up (and messages for this node are lost meanwhile).
            Log.SubscriptionLost(_logger);
            await ResubscribeAsync();
            return;
        }

        if (_time.GetElapsedTime(Volatile.Read(ref _lastSelfHeard)) > timeout ||
            _time.GetElapsedTime(Volatile.Read(ref _lastInboundHeard)) > timeout)
        {
            // The connection is up and Redis counts the subscription, but our own probes stopped
            // arriving: the subscription is dead all the same.
            Log.SubscriptionSilent(_logger, timeout);
            await ResubscribeAsync();
            return;
        }

        var deadline = _time.GetTimestamp() - (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        foreach (var dead in _directory.ExpireSilentNodes(deadline))
        {
            Log.NodeDead(_logger, dead, timeout);
        }
    }

    /// <summary>
    /// For tests: drops this node's subscription to its inbound channel without a word, as a
    /// client that lost a subscription over a reconnect does; the connection stays up.
    /// </summary>
    internal Task DropInboundSubscriptionAsync() => _inboundQueue?.UnsubscribeAsync() ?? Task.CompletedTask;

    /// <summary>For tests: the highest id this node knows to be leased by anyone.</summary>
    internal long IdFloor => _ids.Floor;

    /// <summary>For tests: how many times this node has (re)joined the cluster.</summary>
    internal int Links => Volatile.Read(ref _links);

    private async Task ResubscribeAsync()
    {
        _linked = false;
        _directory.RaiseChanged();
        await TryResyncAsync(resubscribe: true);
    }
}
