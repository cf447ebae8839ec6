using System.Buffers;
using System.Globalization;
using Chat.Cluster.Redis;
using Chat.Protocol;
using Chat.Server.Sessions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Routing;

/// <summary>
/// The server's shared state: who is connected, who may join, and where messages go. Sessions reach
/// it through <see cref="ISessionHub"/>; the operator's commands call it directly.
/// </summary>
internal sealed class ChatHub : ISessionHub
{
    private readonly MessageRouter _router;
    private readonly AddressLimiter _addresses = new();
    private readonly TokenBucket? _connectionRate;
    private readonly Lock _connectionRateGate = new();
    private readonly TaskCompletionSource _drainStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _maxUsers;
    private int _maxConnectionsPerAddress;

    // How long a newcomer refused for want of an id should wait: about one reconnect attempt.
    private const uint UnavailableRetryMs = 2000;

    /// <param name="options">The server's settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cluster">In cluster mode, this node's membership; null when the server runs alone.</param>
    public ChatHub(IOptions<ChatServerOptions> options, TimeProvider timeProvider, RedisClusterNode? cluster = null)
    {
        var settings = options.Value;
        Registry = new ConnectionRegistry(cluster);
        Cluster = cluster;
        Remote = cluster;
        Presence = cluster;
        _router = new MessageRouter(Registry, cluster);
        _maxUsers = settings.MaxUsers;
        _maxConnectionsPerAddress = settings.MaxConnectionsPerAddress;
        if (settings.ConnectionRatePerSecond > 0)
        {
            var burst = settings.ConnectionBurst > 0 ? settings.ConnectionBurst : Math.Max(1, settings.ConnectionRatePerSecond);
            _connectionRate = new TokenBucket(settings.ConnectionRatePerSecond, burst, timeProvider);
        }

        ClosedConnections = new ClosedConnectionLog(settings.ClosedConnectionHistory);
        TimeProvider = timeProvider;
        StartedAt = timeProvider.GetUtcNow();
    }

    public ConnectionRegistry Registry { get; }

    /// <summary>Cluster mode: this node's membership, for the link's figures (stats, metrics); null when the server runs alone.</summary>
    public RedisClusterNode? Cluster { get; }

    /// <summary>Cluster mode: where what leaves this node goes; null when the server runs alone.</summary>
    public IRemoteDelivery? Remote { get; }

    /// <summary>Cluster mode: who is on which other node; null when the server runs alone.</summary>
    public IPresenceDirectory? Presence { get; }

    public ServerStatistics Statistics { get; } = new();

    public ClosedConnectionLog ClosedConnections { get; }

    public TimeProvider TimeProvider { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Connected users at most; the operator may change it while the server runs.</summary>
    public int MaxUsers
    {
        get => Volatile.Read(ref _maxUsers);
        set => Volatile.Write(ref _maxUsers, value);
    }

    /// <summary>Concurrent users from one address at most, 0 for no limit; changeable at run time.</summary>
    public int MaxConnectionsPerAddress
    {
        get => Volatile.Read(ref _maxConnectionsPerAddress);
        set => Volatile.Write(ref _maxConnectionsPerAddress, value);
    }

    /// <summary>True once a graceful shutdown began: newcomers are refused from then on.</summary>
    public bool IsDraining => _drainStarted.Task.IsCompleted;

    public Admission Admit(ChatSession session)
    {
        var admission = Decide(session);
        if (admission.Accepted)
        {
            Statistics.Accepted();
        }
        else
        {
            Statistics.Refused(admission.Refusal);
        }

        return admission;
    }

    public void Join(ChatSession session)
    {
        Registry.Add(session);
        Presence?.Joined(ClusterUsers.Of(session));
    }

    public void Route(ChatSession sender, in ReadOnlySequence<byte> body) => _router.Route(sender, body);

    public void Leave(ChatSession session)
    {
        if (session.CountedAddress is { } address)
        {
            _addresses.Release(address);
        }

        // Recorded before the registry forgets the user, so whoever sees the count drop sees why.
        var reason = session.CloseReason ?? DisconnectReason.ClientClosed;
        Statistics.Closed(reason, session.Counters);
        ClosedConnections.Add(new ClosedConnection(
            session.Id,
            session.RemoteEndPoint?.ToString() ?? "-",
            session.ConnectedAt,
            TimeProvider.GetUtcNow() - session.ConnectedAt,
            session.Counters.MessagesIn,
            session.Counters.FramesOut,
            reason,
            session.CloseDetail));
        Registry.Remove(session);
        if (session.Id > 0)
        {
            Presence?.Left(session.Id);
        }
    }

    /// <summary>Sends a notice from 0 to every connected user; returns how many it reached.</summary>
    public int Announce(string text) => _router.Announce(text);

    /// <summary>Refuses newcomers from now on; false if a drain had already begun.</summary>
    public bool BeginDrain() => _drainStarted.TrySetResult();

    /// <summary>Closes every connected user gracefully, with a notice from 0 when one is given.</summary>
    public void CloseAll(DisconnectReason reason, string? notice)
    {
        foreach (var session in Registry.Sessions)
        {
            session.Close(reason, notice);
        }
    }

    /// <summary>Completes once exactly <paramref name="count"/> users are connected.</summary>
    public async Task WhenUserCountAsync(int count, CancellationToken cancellationToken)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnCountChanged(int now)
        {
            if (now == count)
            {
                reached.TrySetResult();
            }
        }

        Registry.CountChanged += OnCountChanged;
        try
        {
            if (Registry.Count == count)
            {
                return;
            }

            await reached.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Registry.CountChanged -= OnCountChanged;
        }
    }

    // Cheapest checks first; a connection that passes the address check holds its count until Leave.
    private Admission Decide(ChatSession session)
    {
        if (IsDraining)
        {
            return Admission.Refuse(Refusal.ShuttingDown, "the server is shutting down");
        }

        if (_connectionRate is not null)
        {
            TimeSpan wait;
            lock (_connectionRateGate)
            {
                wait = _connectionRate.TryTake();
            }

            if (wait > TimeSpan.Zero)
            {
                var retryAfterMs = (uint)Math.Ceiling(wait.TotalMilliseconds);
                return Admission.Refuse(Refusal.RateLimited,
                    $"connections are arriving too fast; try again in {retryAfterMs} ms", retryAfterMs);
            }
        }

        var perAddress = MaxConnectionsPerAddress;
        var address = session.RemoteAddress;
        if (perAddress > 0 && address is not null)
        {
            if (!_addresses.TryAcquire(address, perAddress))
            {
                return Admission.Refuse(Refusal.AddressLimit,
                    string.Create(CultureInfo.InvariantCulture, $"too many connections from {address} (at most {perAddress})"));
            }

            session.CountedAddress = address;
        }

        var maxUsers = MaxUsers;
        var reservation = Registry.Reserve(maxUsers, out var id);
        if (reservation == Reservation.Reserved)
        {
            return Admission.Accept(id);
        }

        if (session.CountedAddress is { } counted)
        {
            _addresses.Release(counted);
            session.CountedAddress = null;
        }

        return reservation == Reservation.NoIds
            ? Admission.Refuse(Refusal.Unavailable, $"no user id can be assigned right now (the cluster store is unreachable); try again in {UnavailableRetryMs} ms", UnavailableRetryMs)
            : Admission.Refuse(Refusal.ServerFull, $"the server is full ({maxUsers} users)", retryAfterMs: 1000);
    }
}
