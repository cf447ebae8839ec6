using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Chat.Cluster.Redis;

/// <summary>
/// This server's membership of a cluster: one multiplexer to Redis, the id leaser, the presence
/// directory and the inbound channel. Everything on the message path queues and returns; only the
/// heartbeat loop and the resync after a reconnect await Redis.
/// </summary>
public sealed partial class RedisClusterNode : IPresenceDirectory, IRemoteDelivery, IIdAllocator, IAsyncDisposable
{
    private readonly ClusterSettings _settings;
    private readonly ClusterKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IdLeaser _ids;
    private readonly PresenceDirectory _directory = new();
    private readonly CancellationTokenSource _stopping = new();

    // Local joins and leaves, and the republishing of all of them, go out under this lock, so that
    // peers see them in the order the registry saw them.
    private readonly Lock _announceGate = new();
    private ConnectionMultiplexer? _redis;
    private IClusterInbox? _inbox;
    private Task _heartbeat = Task.CompletedTask;
    private volatile bool _linked;
    private long _lastSelfHeard;
    private long _lastInboundHeard;
    private long _messagesOut;
    private long _messagesIn;
    private long _messagesUnreachable;
    private long _roundTripTicks = -1;

    public RedisClusterNode(ClusterSettings settings, TimeProvider time, ILogger<RedisClusterNode> logger)
    {
        _settings = settings;
        _keys = new ClusterKeys(settings.ClusterName, settings.NodeName);
        _time = time;
        _logger = logger;
        _ids = new IdLeaser(settings.IdBlockSize, LeaseAsync, () => _linked);
    }

    public event Action? Changed
    {
        add => _directory.Changed += value;
        remove => _directory.Changed -= value;
    }

    public string NodeName => _settings.NodeName;

    /// <summary>Where this node's clients connect, as announced to the other nodes.</summary>
    public string Address => _settings.Address;

    public bool IsLinked => _linked;

    public int RemoteUserCount => _directory.UserCount;

    /// <summary>Messages handed to other nodes (a broadcast once per node; kicks, says and notices too).</summary>
    public long MessagesOut => Interlocked.Read(ref _messagesOut);

    /// <summary>Messages other nodes handed to this one.</summary>
    public long MessagesIn => Interlocked.Read(ref _messagesIn);

    /// <summary>
    /// Users' messages (direct, or a broadcast's copy for one node) that could not be handed to the
    /// node concerned, each answered with a notice to its sender: the link was down, it failed while
    /// the message was on its way, or the node did not take it.
    /// </summary>
    public long MessagesUnreachable => Interlocked.Read(ref _messagesUnreachable);

    /// <summary>How long the last heartbeat's writes to Redis took, there and back; null before the first.</summary>
    public TimeSpan? RoundTrip => Volatile.Read(ref _roundTripTicks) is >= 0 and var ticks ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>The other live nodes, and this one.</summary>
    public int NodeCount => _directory.LiveNodes().Length + 1;

    /// <summary>
    /// Connects (without waiting for Redis when it is down), subscribes, reads the snapshot and
    /// leases the first ids; then starts the heartbeat. When Redis is unreachable the node still
    /// starts: it refuses newcomers with UNAVAILABLE until the heartbeat finds Redis again.
    /// </summary>
    public async Task StartAsync(IClusterInbox inbox, CancellationToken cancellationToken)
    {
        _inbox = inbox;
        var options = ConfigurationOptions.Parse(_settings.Configuration);
        // Fail fast: a command while disconnected fails at once instead of queueing, so nothing
        // local ever waits for Redis (PROTOCOL.md, "Cluster mode").
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= $"{_settings.ClusterName}:{_settings.NodeName}";
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        _redis.ConnectionFailed += OnConnectionFailed;
        await TryResyncAsync();
        _heartbeat = RunHeartbeatAsync(_stopping.Token);
    }

    /// <summary>Says goodbye (peers drop this node's users at once) and stops the heartbeat.</summary>
    public async Task LeaveAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _heartbeat;
        await _ids.WhenIdleAsync();
        if (_redis is { IsConnected: true } redis && _linked)
        {
            _linked = false;
            try
            {
                var database = redis.GetDatabase();
                await Task.WhenAll(
                    database.KeyDeleteAsync([_keys.OwnUsers, _keys.OwnAlive]),
                    database.SortedSetRemoveAsync(_keys.Nodes, _settings.NodeName),
                    redis.GetSubscriber().PublishAsync(_keys.Presence, PresenceEvent.Format(PresenceEvent.Bye, _settings.NodeName)));
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // Peers find out by the timeout instead, and the keys expire by themselves.
                Log.HeartbeatFailed(_logger, exception.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await LeaveAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _stopping.Dispose();
    }

    public bool TryAllocate(out long id) => _ids.TryAllocate(out id);

    public bool TryLocate(long id, out string node) => _directory.TryLocate(id, out node);

    public bool TryFind(long id, out RemoteUser user) => _directory.TryFind(id, out user);

    public IReadOnlyList<RemoteUser> RemoteUsers() => _directory.Users();

    public IReadOnlyList<NodeView> Nodes() =>
        [.. _directory.Snapshot()
            .Select(entry => new NodeView(entry.Name, entry.Address, entry.Users, ToTime(entry.LastHeard), entry.Figures))
            .OrderBy(node => node.Name, StringComparer.Ordinal)];

    private DateTimeOffset ToTime(long timestamp) => _time.GetUtcNow() - _time.GetElapsedTime(timestamp);

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs failure)
    {
        if (_linked)
        {
            _linked = false;
            Log.LinkLost(_logger, failure.ConnectionType.ToString(), failure.EndPoint?.ToString() ?? "-", failure.FailureType.ToString());
            _directory.RaiseChanged();
        }
    }
}
