using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Chat.TestKit;

/// <summary>
/// Certificates made inside a test and written as PEM files, as certbot lays them out: the
/// certificate chain in one file (<see cref="CertificatePath"/>), its key in another
/// (<see cref="KeyPath"/>). Valid for localhost and 127.0.0.1. The folder goes when disposed.
/// </summary>
public sealed class TestCertificateFiles : IDisposable
{
    private readonly string _directory;

    private TestCertificateFiles(string directory)
    {
        _directory = directory;
    }

    public string CertificatePath => Path.Combine(_directory, "fullchain.pem");

    public string KeyPath => Path.Combine(_directory, "privkey.pem");

    /// <summary>The certificate authority to trust (the self-signed certificate itself, or the root of a chain).</summary>
    public string AuthorityPath => Path.Combine(_directory, "ca.pem");

    /// <summary>The thumbprint of the certificate the files hold now.</summary>
    public string Thumbprint { get; private set; } = string.Empty;

    /// <summary>The server settings that turn TLS on with these files, on a free port.</summary>
    public Dictionary<string, string?> ServerSettings() => new()
    {
        ["Chat:TlsPort"] = "0",
        ["Chat:TlsCertificate"] = CertificatePath,
        ["Chat:TlsKey"] = KeyPath,
    };

    /// <summary>A self-signed certificate for <paramref name="subject"/>.</summary>
    public static TestCertificateFiles CreateSelfSigned(string subject = "CN=chat-test")
    {
        var files = new TestCertificateFiles(Directory.CreateTempSubdirectory("chat-tls-").FullName);
        files.RenewSelfSigned(subject);
        return files;
    }

    /// <summary>
    /// A leaf issued by an intermediate issued by a root, as a public CA issues them: the certificate
    /// file holds the leaf and the intermediate, and only the root is in <see cref="AuthorityPath"/>.
    /// </summary>
    public static TestCertificateFiles CreateIssuedByAuthority()
    {
        var files = new TestCertificateFiles(Directory.CreateTempSubdirectory("chat-tls-").FullName);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = AuthorityRequest("CN=chat-test root", rootKey).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediatePublic = AuthorityRequest("CN=chat-test intermediate", intermediateKey)
            .Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(20), [1, 2, 3, 4]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = LeafRequest("CN=localhost", leafKey).Create(intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [5, 6, 7, 8]);
        File.WriteAllText(files.CertificatePath, leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(files.KeyPath, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(files.AuthorityPath, root.ExportCertificatePem() + "\n");
        files.Thumbprint = leaf.Thumbprint;
        return files;
    }

    /// <summary>Writes a new self-signed certificate and key over the files, as a renewal does.</summary>
    public void RenewSelfSigned(string subject = "CN=chat-test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = LeafRequest(subject, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(AuthorityPath, certificate.ExportCertificatePem() + "\n");
        Thumbprint = certificate.Thumbprint;
    }

    /// <summary>Writes the certificate and its key as one PFX file without a password; returns its path.</summary>
    public string WritePfx()
    {
        using var certificate = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        var path = Path.Combine(_directory, "server.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }

    /// <summary>Replaces the key file with a key that belongs to no certificate here.</summary>
    public void WriteMismatchedKey()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(KeyPath, other.ExportPkcs8PrivateKeyPem() + "\n");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CertificateRequest LeafRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static CertificateRequest AuthorityRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
