using System.Collections.Concurrent;
using Chat.Cluster.Redis;
using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>
/// Who is connected. A user counts from its accepted handshake until its connection is gone
/// (PROTOCOL.md, "Conversation" 7); ids come from one allocator and are never reused.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, ChatSession> _sessions = new();
    private readonly IIdAllocator _ids;
    private int _count;
    private int _peak;

    public ConnectionRegistry(IIdAllocator? ids = null) => _ids = ids ?? new SequentialIdAllocator();

    /// <summary>Raised after the number of users changed, with the new number.</summary>
    public event Action<int>? CountChanged;

    public int Count => Volatile.Read(ref _count);

    public int Peak => Volatile.Read(ref _peak);

    /// <summary>
    /// The connected users, enumerated live: unlike <c>Values</c>, which copies all of them into a
    /// new list, this costs nothing per user, which matters for a broadcast to thousands.
    /// </summary>
    /// <summary>The ids of the connected users, copied.</summary>
    public IReadOnlyCollection<long> Ids => [.. _sessions.Keys];

    public IEnumerable<ChatSession> Sessions
    {
        get
        {
            foreach (var pair in _sessions)
            {
                yield return pair.Value;
            }
        }
    }

    /// <summary>Counts one more user if fewer than <paramref name="maxUsers"/> are connected and an id can be had.</summary>
    public Reservation Reserve(int maxUsers, out long id)
    {
        var count = Volatile.Read(ref _count);
        while (true)
        {
            if (count >= maxUsers)
            {
                id = 0;
                return Reservation.Full;
            }

            var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
            if (seen == count)
            {
                break;
            }

            count = seen;
        }

        if (!_ids.TryAllocate(out id))
        {
            // Nobody saw the count go up: give the place back quietly.
            Interlocked.Decrement(ref _count);
            return Reservation.NoIds;
        }

        RaisePeak(count + 1);
        CountChanged?.Invoke(count + 1);
        return Reservation.Reserved;
    }

    public void Add(ChatSession session) => _sessions[session.Id] = session;

    /// <summary>Forgets a reserved or added user; called once per reservation.</summary>
    public void Remove(ChatSession session)
    {
        _sessions.TryRemove(new KeyValuePair<long, ChatSession>(session.Id, session));
        var count = Interlocked.Decrement(ref _count);
        CountChanged?.Invoke(count);
    }

    public bool TryGet(long id, out ChatSession session) => _sessions.TryGetValue(id, out session!);

    private void RaisePeak(int count)
    {
        var peak = Volatile.Read(ref _peak);
        while (count > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, count, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }
}
