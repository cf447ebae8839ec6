using Chat.Protocol;

namespace Chat.Client;

/// <summary>The server refused the connection in its handshake (PROTOCOL.md, "Conversation" 2).</summary>
public sealed class ChatRefusedException : Exception
{
    public ChatRefusedException()
    {
    }

    public ChatRefusedException(string message)
        : base(message)
    {
    }

    public ChatRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ChatRefusedException(Refusal refusal, string reason, TimeSpan retryAfter)
        : base($"the server refused the connection: {reason}")
    {
        Refusal = refusal;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    /// <summary>Why, for programs: <see cref="Refusal.ServerFull"/>, <see cref="Refusal.ShuttingDown"/>, ...</summary>
    public Refusal Refusal { get; }

    /// <summary>Why, in the server's plain words.</summary>
    public string Reason { get; } = string.Empty;

    /// <summary>A fair time to wait before trying again; zero when waiting does not help.</summary>
    public TimeSpan RetryAfter { get; }
}
