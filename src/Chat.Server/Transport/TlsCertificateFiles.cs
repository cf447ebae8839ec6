using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Server.Transport;

/// <summary>
/// Reads the server certificate from the files an operator has: PEM as certbot writes them
/// (<c>fullchain.pem</c> and <c>privkey.pem</c>), a PEM file holding both, or a PFX without a password.
/// </summary>
internal static class TlsCertificateFiles
{
    /// <summary>Loads the certificate and its key; throws <see cref="TlsCertificateException"/> saying what is wrong.</summary>
    public static TlsCertificate Load(string certificatePath, string? keyPath)
    {
        var leaf = ReadLeaf(certificatePath, keyPath);
        if (!leaf.HasPrivateKey)
        {
            throw new TlsCertificateException($"TlsCertificate '{certificatePath}' has no private key; give the key file with --tls-key.");
        }

        // The certificates after the first in a PEM file are the intermediates (certbot's fullchain.pem);
        // clients that trust only the root need them sent along. offline: no fetching at start-up.
        var intermediates = IsPem(certificatePath) ? ReadIntermediates(certificatePath) : [];
        return new TlsCertificate(leaf, SslStreamCertificateContext.Create(leaf, intermediates, offline: true));
    }

    private static X509Certificate2 ReadLeaf(string certificatePath, string? keyPath)
    {
        try
        {
            if (keyPath is not null)
            {
                return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            }

            return IsPem(certificatePath)
                ? X509Certificate2.CreateFromPemFile(certificatePath)
                : X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password: null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TlsCertificateException($"cannot read the TLS files: {exception.Message}", exception);
        }
        catch (CryptographicException exception)
        {
            var what = keyPath is null
                ? $"TlsCertificate '{certificatePath}' is not a PEM certificate with its key or a PFX without a password"
                : $"TlsCertificate '{certificatePath}' and TlsKey '{keyPath}' are not a PEM certificate and its private key";
            throw new TlsCertificateException($"{what} ({exception.Message.TrimEnd('.')}).", exception);
        }
        catch (ArgumentException exception)
        {
            // CreateFromPemFile's way of saying the key belongs to another certificate.
            throw new TlsCertificateException(
                $"TlsKey '{keyPath ?? certificatePath}' does not match the certificate in TlsCertificate '{certificatePath}'.", exception);
        }
    }

    private static X509Certificate2Collection ReadIntermediates(string certificatePath)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            intermediates.Add(all[i]);
        }

        return intermediates;
    }

    private static bool IsPem(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> start = stackalloc byte[64];
            var read = file.Read(start);
            return System.Text.Encoding.ASCII.GetString(start[..read]).Contains("-----BEGIN", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TlsCertificateException($"cannot read the TLS files: {exception.Message}", exception);
        }
    }
}
