using System.Buffers;
using Chat.Server.Routing;
using Chat.Server.Sessions;

namespace Chat.Server.Tests;

/// <summary>A real hub's routing (registry and router) without admission limits.</summary>
internal sealed class RoutingHub : ISessionHub
{
    private readonly ConnectionRegistry _registry = new();
    private readonly MessageRouter _router;
    private long _lastId;

    public RoutingHub() => _router = new MessageRouter(_registry);

    public Admission Admit(ChatSession session) => Admission.Accept(Interlocked.Increment(ref _lastId));

    public void Join(ChatSession session) => _registry.Add(session);

    public void Route(ChatSession sender, in ReadOnlySequence<byte> body) => _router.Route(sender, body);

    public void Leave(ChatSession session) => _registry.Remove(session);
}
