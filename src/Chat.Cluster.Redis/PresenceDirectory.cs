using System.Collections.Concurrent;

namespace Chat.Cluster.Redis;

/// <summary>
/// The local map of user id to node, for every other live node. Routing reads it without a lock;
/// presence events, snapshots and liveness change it under one lock, one at a time.
/// </summary>
internal sealed class PresenceDirectory
{
    private readonly ConcurrentDictionary<long, string> _userNode = new();
    private readonly Dictionary<string, PeerNode> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // The names in _nodes, made anew only when a node comes or goes: every broadcast reads it.
    private volatile string[] _liveNodes = [];

    public event Action? Changed;

    public int UserCount => _userNode.Count;

    public bool TryLocate(long id, out string node) => _userNode.TryGetValue(id, out node!);

    /// <summary>The other live nodes' names; a snapshot the caller must not change.</summary>
    public string[] LiveNodes() => _liveNodes;

    public List<(PeerNode Node, int Users)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _nodes.Values.Select(node => (node, node.Users.Count))];
        }
    }

    /// <summary>Replaces everything with what Redis holds: each live node and its users.</summary>
    public void Reset(IReadOnlyDictionary<string, long[]> nodes, long now)
    {
        lock (_gate)
        {
            _nodes.Clear();
            _liveNodes = [];
            _userNode.Clear();
            foreach (var (name, users) in nodes)
            {
                var node = Touch(name, now);
                foreach (var id in users)
                {
                    Add(node, id);
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
                    Forget(presence.Node);
                    Touch(presence.Node, now).Address = presence.Arguments.Length > 1 ? presence.Arguments[1] : "-";
                    unknown = false;
                    break;
                case PresenceEvent.Heartbeat:
                    Touch(presence.Node, now).Address = presence.Arguments.Length > 1 ? presence.Arguments[1] : "-";
                    break;
                case PresenceEvent.Join:
                    var joined = Touch(presence.Node, now);
                    foreach (var id in presence.Ids())
                    {
                        Add(joined, id);
                    }

                    break;
                case PresenceEvent.Leave:
                    var left = Touch(presence.Node, now);
                    foreach (var id in presence.Ids())
                    {
                        left.Users.Remove(id);
                        _userNode.TryRemove(new KeyValuePair<long, string>(id, left.Name));
                    }

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

    private void Add(PeerNode node, long id)
    {
        node.Users.Add(id);
        _userNode[id] = node.Name;
    }

    private void Forget(string name)
    {
        if (_nodes.Remove(name, out var node))
        {
            _liveNodes = [.. _nodes.Keys];
            foreach (var id in node.Users)
            {
                _userNode.TryRemove(new KeyValuePair<long, string>(id, name));
            }
        }
    }
}
