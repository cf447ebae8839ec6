using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Server.Transport;

/// <summary>
/// One loaded server certificate: the leaf with its key, and the context SslStream hands to every
/// handshake (the leaf plus the intermediates from the same file, built once, not per connection).
/// </summary>
internal sealed class TlsCertificate
{
    public TlsCertificate(X509Certificate2 certificate, SslStreamCertificateContext context)
    {
        Certificate = certificate;
        Context = context;
    }

    public X509Certificate2 Certificate { get; }

    public SslStreamCertificateContext Context { get; }

    public string Subject => Certificate.Subject;

    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    public string Thumbprint => Certificate.Thumbprint;

    /// <summary>How the operator sees it: <c>CN=chat.example.org, expires 2027-03-01 12:00:00Z</c>.</summary>
    public string Describe() =>
        $"{Subject}, expires {NotAfter.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, thumbprint {Thumbprint}";
}
