namespace Chat.Cluster.Redis;

/// <summary>
/// Hands out ids from blocks leased from the cluster's counter, and leases the next block when half
/// of the current one is used, so a handshake takes an id from memory and never waits for Redis.
/// With no ids left and no lease possible, it says so and the hub refuses with UNAVAILABLE.
/// </summary>
internal sealed class IdLeaser : IIdAllocator
{
    private readonly Lock _gate = new();
    private readonly int _blockSize;
    private readonly Func<long, Task<long>> _lease;
    private readonly Func<bool> _canLease;
    private long _next = 1;
    private long _end;
    private long _pendingEnd;
    private long _floor;
    private Task _fetch = Task.CompletedTask;

    /// <param name="blockSize">Ids per lease.</param>
    /// <param name="lease">Raises the counter to at least its argument, adds one block, returns the block's last id.</param>
    /// <param name="canLease">False while Redis is unreachable: then no lease is tried from the handshake path.</param>
    public IdLeaser(int blockSize, Func<long, Task<long>> lease, Func<bool> canLease)
    {
        _blockSize = blockSize;
        _lease = lease;
        _canLease = canLease;
    }

    /// <summary>The highest id this node or any peer it heard from has leased: no id at or below it is handed out again.</summary>
    public long Floor
    {
        get
        {
            lock (_gate)
            {
                return _floor;
            }
        }
    }

    /// <summary>The last id of this node's newest lease, announced to peers so that they raise their floor.</summary>
    public long LeaseEnd
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(_end, _pendingEnd);
            }
        }
    }

    public bool TryAllocate(out long id)
    {
        var startFetch = false;
        lock (_gate)
        {
            if (_next > _end && _pendingEnd > 0)
            {
                _end = _pendingEnd;
                _next = _pendingEnd - _blockSize + 1;
                _pendingEnd = 0;
            }

            if (_next > _end)
            {
                id = 0;
                startFetch = _fetch.IsCompleted;
            }
            else
            {
                id = _next++;
                startFetch = _pendingEnd == 0 && _end - _next + 1 <= _blockSize / 2 && _fetch.IsCompleted;
            }

            if (startFetch && _canLease())
            {
                // Tracked, not forgotten: the node awaits it on stop.
                _fetch = FetchAsync();
            }
        }

        return id > 0;
    }

    /// <summary>Raises the floor to a block a peer announced.</summary>
    public void ObservePeerLease(long leaseEnd)
    {
        lock (_gate)
        {
            _floor = Math.Max(_floor, leaseEnd);
        }
    }

    /// <summary>
    /// After Redis lost its data (its counter is below what was leased), drops the unused ids and
    /// leases anew above every id known to be leased, so ids handed out from now on are above all earlier ones.
    /// </summary>
    public async Task RenewAsync()
    {
        lock (_gate)
        {
            _next = 1;
            _end = 0;
            _pendingEnd = 0;
        }

        await EnsureLeaseAsync();
    }

    /// <summary>Leases a block now when this node holds none (at start-up, or after it ran dry while unlinked).</summary>
    public async Task EnsureLeaseAsync()
    {
        Task fetch;
        lock (_gate)
        {
            if (_next <= _end || _pendingEnd > 0)
            {
                return;
            }

            if (_fetch.IsCompleted)
            {
                _fetch = FetchAsync();
            }

            fetch = _fetch;
        }

        await fetch;
    }

    /// <summary>Completes when no lease is under way.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _fetch;
        }
    }

    private async Task FetchAsync()
    {
        long floor;
        lock (_gate)
        {
            floor = _floor;
        }

        long end;
        try
        {
            end = await _lease(floor);
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The next handshake or the next reconnect tries again; meanwhile the ids left are used.
            return;
        }

        lock (_gate)
        {
            _floor = Math.Max(_floor, end);
            if (_next > _end)
            {
                _end = end;
                _next = end - _blockSize + 1;
            }
            else
            {
                _pendingEnd = end;
            }
        }
    }
}
