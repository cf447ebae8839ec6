using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Client;

/// <summary>The client side of TLS: SslStream over the connected socket, checked as the options say.</summary>
internal static class ChatClientTls
{
    public static async Task<Stream> AuthenticateAsync(Stream inner, string host, ChatClientOptions options, CancellationToken cancellationToken)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = options.TlsServerName ?? host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        if (options.TlsAcceptAnyCertificate)
        {
#pragma warning disable CA5359 // Asked for by name (TlsAcceptAnyCertificate, --tls-insecure), which warns the user.
            authentication.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (options.TlsCertificateAuthorities is { } authorities)
        {
            // A private CA rarely publishes revocation lists; the chain must end at one of these roots.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            authentication.CertificateChainPolicy = policy;
        }

        try
        {
            await tls.AuthenticateAsClientAsync(authentication, cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }
}
