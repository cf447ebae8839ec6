namespace Chat.LoadGen;

/// <summary>A connection did not get an accepted handshake: refused, closed early or malformed.</summary>
internal sealed class HandshakeException : Exception
{
    public HandshakeException()
    {
    }

    public HandshakeException(string message)
        : base(message)
    {
    }

    public HandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
