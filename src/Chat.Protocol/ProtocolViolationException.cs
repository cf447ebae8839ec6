namespace Chat.Protocol;

/// <summary>
/// A peer broke the wire contract (PROTOCOL.md, "Transport and framing"): an over-long or malformed
/// length prefix, a body that does not parse, or text that is not UTF-8. Ends that one connection.
/// </summary>
public sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException()
    {
    }

    public ProtocolViolationException(string message)
        : base(message)
    {
    }

    public ProtocolViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
