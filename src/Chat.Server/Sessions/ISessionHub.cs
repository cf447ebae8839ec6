using System.Buffers;

namespace Chat.Server.Sessions;

/// <summary>The little a session needs of the hub above it.</summary>
internal interface ISessionHub
{
    /// <summary>Decides whether a new connection becomes a user; on acceptance it counts as one at once.</summary>
    Admission Admit(ChatSession session);

    /// <summary>Makes an admitted session reachable by others, once its handshake is queued.</summary>
    void Join(ChatSession session);

    /// <summary>Routes the body of one message the session sent (PROTOCOL.md, "Conversation" 3).</summary>
    /// <exception cref="Chat.Protocol.ProtocolViolationException">The body is not a valid ChatMessage.</exception>
    void Route(ChatSession sender, in ReadOnlySequence<byte> body);

    /// <summary>Forgets the session; called once, when its connection is gone.</summary>
    void Leave(ChatSession session);
}
