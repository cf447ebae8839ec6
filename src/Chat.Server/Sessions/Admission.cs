using Chat.Protocol;

namespace Chat.Server.Sessions;

/// <summary>The hub's answer to a new connection: an id, or a refusal with its reason.</summary>
public readonly record struct Admission(long Id, Refusal Refusal, string Reason, uint RetryAfterMs)
{
    public bool Accepted => Id > 0;

    public static Admission Accept(long id) => new(id, Refusal.Unspecified, string.Empty, 0);

    public static Admission Refuse(Refusal refusal, string reason, uint retryAfterMs = 0) =>
        new(0, refusal, reason, retryAfterMs);

    /// <summary>The handshake frame that tells the client this outcome (PROTOCOL.md, "Conversation" 2).</summary>
    public Handshake ToHandshake() => Accepted
        ? new Handshake { Id = Id }
        : new Handshake { Error = true, Reason = Reason, Refusal = Refusal, RetryAfterMs = RetryAfterMs };
}
