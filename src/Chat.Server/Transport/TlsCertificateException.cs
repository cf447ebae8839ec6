namespace Chat.Server.Transport;

/// <summary>The TLS certificate files cannot be used; the message says which file and why, on one line.</summary>
internal sealed class TlsCertificateException : Exception
{
    public TlsCertificateException()
    {
    }

    public TlsCertificateException(string message)
        : base(message)
    {
    }

    public TlsCertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
