using System.Collections.Concurrent;

namespace Chat.Cluster.Redis;

/// <summary>
/// The local map of user id to node, for every other live node. Routing reads it without a lock;
/// presence events, snapshots and liveness change it under one lock, one at a time.
/// </summary>
internal sealed class PresenceDirectory
{
    private readonly ConcurrentDictionary<long, RemoteUser> _users = new();
    private readonly Dictionary<string, PeerNode> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // The names in _nodes, made anew only when a node comes or goes: every broadcast reads it.
    private volatile string[] _liveNodes = [];

    public event Action? Changed;

    public int UserCount => _users.Count;

    public bool TryLocate(long id, out string node)
    {
        if (_users.TryGetValue(id, out var user))
        {
            node = user.Node;
            return true;
        }

        node = string.Empty;
        return false;
    }

    public bool TryFind(long id, out RemoteUser user) => _users.TryGetValue(id, out user!);

    /// <summary>Every user of every other live node, in no particular order; a copy.</summary>
    public List<RemoteUser> Users() => [.. _users.Values];

    /// <summary>The other live nodes' names; a snapshot the caller must not change.</summary>
    public string[] LiveNodes() => _liveNodes;

    /// <summary>Each other live node as it is now: name, address, users, when last heard from (a timestamp), figures.</summary>
    public List<(string Name, string Address, int Users, long LastHeard, string Figures)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _nodes.Values.Select(node => (node.Name, node.Address, node.Users.Count, node.LastHeard, node.Figures))];
        }
    }

    /// <summary>Replaces everything with what Redis holds: each live node and its users.</summary>
    public void Reset(IReadOnlyDictionary<string, ClusterUser[]> nodes, long now)
    {
        lock (_gate)
        {
            _nodes.Clear();
            _liveNodes = [];
            _users.Clear();
            foreach (var (name, users) in nodes)
            {
                var node = Touch(name, now);
                foreach (var user in users)
                {
                    Add(node, user);
                }
            }
        }

        Changed?.Invoke();
    }

    /// <summary>Applies one event from another node; true when that node is new to this directory.</summary>
    public bool Apply(in PresenceEvent presence, long now)
    {
        bool unknown;
        lock (_gate)
        {
            unknown = !_nodes.ContainsKey(presence.Node);
            switch (presence.Kind)
            {
                case PresenceEvent.Bye:
                    Forget(presence.Node);
                    unknown = false;
                    break;
                case PresenceEvent.Hello:
                    var hello = Touch(presence.Node, now);
                    hello.Address = presence.Arguments.Length > 1 ? presence.Arguments[1] : "-";
                    hello.Stale = [.. hello.Users];
                    unknown = false;
                    break;
                case PresenceEvent.Heartbeat:
                    var beating = Touch(presence.Node, now);
                    beating.Address = presence.Arguments.Length > 1 ? presence.Arguments[1] : "-";
                    beating.Figures = presence.Arguments.Length > 2 ? presence.Arguments[2] : string.Empty;
                    if (beating.Stale is { } stale)
                    {
                        // Announced before the hello and not since: gone.
                        beating.Stale = null;
                        Remove(beating, stale);
                    }

                    break;
                case PresenceEvent.Join:
                    var joined = Touch(presence.Node, now);
                    foreach (var user in presence.Users())
                    {
                        Add(joined, user);
                        joined.Stale?.Remove(user.Id);
                    }

                    break;
                case PresenceEvent.Leave:
                    var left = Touch(presence.Node, now);
                    Remove(left, presence.Ids());

                    break;
                default:
                    return false;
            }
        }

        Changed?.Invoke();
        return unknown;
    }

    /// <summary>Forgets every node not heard from since <paramref name="deadline"/>; returns their names.</summary>
    public List<string> ExpireSilentNodes(long deadline)
    {
        List<string> dead;
        lock (_gate)
        {
            dead = [.. _nodes.Values.Where(node => node.LastHeard < deadline).Select(node => node.Name)];
            foreach (var name in dead)
            {
                Forget(name);
            }
        }

        if (dead.Count > 0)
        {
            Changed?.Invoke();
        }

        return dead;
    }

    /// <summary>Counts every known node as heard from now (after this node's own link came back).</summary>
    public void TouchAll(long now)
    {
        lock (_gate)
        {
            foreach (var node in _nodes.Values)
            {
                node.LastHeard = now;
            }
        }
    }

    public void RaiseChanged() => Changed?.Invoke();

    private PeerNode Touch(string name, long now)
    {
        if (!_nodes.TryGetValue(name, out var node))
        {
            node = new PeerNode(name);
            _nodes[name] = node;
            _liveNodes = [.. _nodes.Keys];
        }

        node.LastHeard = now;
        return node;
    }

    private void Add(PeerNode node, ClusterUser user)
    {
        node.Users.Add(user.Id);
        _users[user.Id] = new RemoteUser(user, node.Name);
    }

    private void Remove(PeerNode node, IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            node.Users.Remove(id);
            node.Stale?.Remove(id);
            RemoveIfOn(id, node.Name);
        }
    }

    // Only while the id is still this node's: another node may have announced it since.
    private void RemoveIfOn(long id, string node)
    {
        if (_users.TryGetValue(id, out var user) && user.Node == node)
        {
            _users.TryRemove(new KeyValuePair<long, RemoteUser>(id, user));
        }
    }

    private void Forget(string name)
    {
        if (_nodes.Remove(name, out var node))
        {
            _liveNodes = [.. _nodes.Keys];
            foreach (var id in node.Users)
            {
                RemoveIfOn(id, name);
            }
        }
    }
}
