using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Client.Console;

/// <summary>The console client's TLS options (<c>--tls</c>, <c>--tls-ca</c>, <c>--tls-insecure</c>) as library settings.</summary>
internal static class ConsoleTls
{
    /// <summary>The client's options; null (after one line on standard error) when the CA file cannot be used.</summary>
    public static ChatClientOptions? CreateOptions(bool tls, string? authorityPath, bool insecure, TimeSpan connectTimeout)
    {
        X509Certificate2Collection? authorities = null;
        if (authorityPath is not null)
        {
            authorities = new X509Certificate2Collection();
            try
            {
                authorities.ImportFromPemFile(authorityPath);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
            {
                System.Console.Error.WriteLine($"--tls-ca {authorityPath}: {exception.Message}");
                return null;
            }

            if (authorities.Count == 0)
            {
                System.Console.Error.WriteLine($"--tls-ca {authorityPath}: no PEM certificate in the file");
                return null;
            }
        }

        if (insecure)
        {
            System.Console.Error.WriteLine(
                "warning: --tls-insecure: the server's certificate is not checked, so anyone on the way can read and change this conversation");
        }

        return new ChatClientOptions
        {
            ConnectTimeout = connectTimeout,
            UseTls = tls || authorities is not null || insecure,
            TlsCertificateAuthorities = authorities,
            TlsAcceptAnyCertificate = insecure,
        };
    }
}
