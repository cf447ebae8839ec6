using System.Security.Cryptography.X509Certificates;
using Chat.Protocol;

namespace Chat.Client;

/// <summary>Settings for <see cref="ChatClient"/>.</summary>
public sealed class ChatClientOptions
{
    /// <summary>
    /// Largest frame body accepted from the server. Default 64 KiB plus room for the fields the
    /// server stamps (PROTOCOL.md: a server frame may exceed the client limit by up to 11 bytes).
    /// </summary>
    public int MaxIncomingFrameLength { get; init; } = FrameLimits.DefaultMaxBodyLength + 64;

    /// <summary>How long to wait for the TCP connection and the handshake. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Speak TLS (1.2 or 1.3) to the server's TLS port. Default false: the plain port. The server's
    /// certificate must be valid for the host name given to <see cref="ChatClient.ConnectAsync"/>
    /// (or <see cref="TlsServerName"/>) and chain to a trusted authority.
    /// </summary>
    public bool UseTls { get; init; }

    /// <summary>The name the server's certificate must hold. Default null: the host connected to.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// The authorities to trust instead of the system's store, for a private CA or a self-signed
    /// certificate given as its own authority. Default null: the system's trust store.
    /// </summary>
    public X509Certificate2Collection? TlsCertificateAuthorities { get; init; }

    /// <summary>
    /// Accept any certificate, valid or not, for a test server with a self-signed certificate.
    /// Default false. Anyone between client and server can then read and change the conversation.
    /// </summary>
    public bool TlsAcceptAnyCertificate { get; init; }
}
