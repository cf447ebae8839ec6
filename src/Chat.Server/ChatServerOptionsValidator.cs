using System.Net;
using Chat.Protocol;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Transport;
using Microsoft.Extensions.Options;

namespace Chat.Server;

/// <summary>Rejects a bad setting at start-up with a message that names it and its allowed range.</summary>
internal sealed class ChatServerOptionsValidator : IValidateOptions<ChatServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatServerOptions options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Host, out _) && options.Host != "localhost")
        {
            failures.Add($"Host '{options.Host}' is not an IP address or 'localhost'.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Port {options.Port} is outside 0..65535.");
        }

        if (options.MaxUsers < 1)
        {
            failures.Add($"MaxUsers {options.MaxUsers} must be at least 1.");
        }

        if (options.IoThreads is < 0 or > 256)
        {
            failures.Add($"IoThreads {options.IoThreads} is outside 0..256 (0: one per core).");
        }

        if (options.MaxFrameLength is < 1 or > 16 * 1024 * 1024)
        {
            failures.Add($"MaxFrameLength {options.MaxFrameLength} is outside 1..16777216 bytes.");
        }

        var largestFrame = FrameLimits.MaxPrefixLength + options.MaxFrameLength + 16;
        if (options.MaxQueuedBytesPerConnection < largestFrame)
        {
            failures.Add(
                $"MaxQueuedBytesPerConnection {options.MaxQueuedBytesPerConnection} must hold at least one " +
                $"largest frame ({largestFrame} bytes).");
        }

        if (options.MessageRatePerSecond < 0 || options.MessageBurst < 0 || (options.MessageRatePerSecond > 0 && options.MessageBurst < 1))
        {
            failures.Add($"MessageRatePerSecond {options.MessageRatePerSecond} must be 0 (off) or positive with MessageBurst at least 1 (is {options.MessageBurst}).");
        }

        if (options.MaxConnectionsPerAddress < 0)
        {
            failures.Add($"MaxConnectionsPerAddress {options.MaxConnectionsPerAddress} must be 0 (off) or positive.");
        }

        if (options.ConnectionRatePerSecond < 0 || options.ConnectionBurst < 0)
        {
            failures.Add($"ConnectionRatePerSecond {options.ConnectionRatePerSecond} and ConnectionBurst {options.ConnectionBurst} must be 0 (off) or positive.");
        }

        if (options.IdleTimeout < TimeSpan.Zero)
        {
            failures.Add($"IdleTimeout {options.IdleTimeout} must be 0 (off) or positive.");
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero || options.HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"HandshakeTimeout {options.HandshakeTimeout} is outside (0, 5 minutes].");
        }

        if (options.ClosedConnectionHistory is < 0 or > 100_000)
        {
            failures.Add($"ClosedConnectionHistory {options.ClosedConnectionHistory} is outside 0..100000.");
        }

        if (options.AdminSocketPath is { Length: > 0 } socketPath && System.Text.Encoding.UTF8.GetByteCount(socketPath) > AdminSocketFile.MaxPathBytes)
        {
            failures.Add($"AdminSocketPath '{socketPath}' is longer than the {AdminSocketFile.MaxPathBytes} bytes a Unix socket path may have.");
        }

        if (AdminSocketFile.Resolve(options.AdminSocketPath) is { } resolved &&
            System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(resolved)) is { } folder && !Directory.Exists(folder))
        {
            failures.Add($"AdminSocketPath '{resolved}' is in a folder that does not exist ('{folder}').");
        }

        if (options.MaxAdminConnections is < 1 or > 1000)
        {
            failures.Add($"MaxAdminConnections {options.MaxAdminConnections} is outside 1..1000.");
        }

        if (options.AdminIdleTimeout < TimeSpan.Zero)
        {
            failures.Add($"AdminIdleTimeout {options.AdminIdleTimeout} must be 0 (off) or positive.");
        }

        if (options.HttpPort is < -1 or > 65535)
        {
            failures.Add($"HttpPort {options.HttpPort} is outside -1..65535 (-1 or 'off' turns the listener off, 0 picks a free port).");
        }

        if (options.AdminToken is { Length: > 0 } token && (token.Length < 16 || token.Any(char.IsWhiteSpace)))
        {
            failures.Add("AdminToken must be at least 16 characters without spaces (unset, a random one is made at start).");
        }

        if (options.MetricsPort is < 0 or > 65535)
        {
            failures.Add($"MetricsPort {options.MetricsPort} is outside 0..65535 (0 turns the endpoint off).");
        }

        if (!IPAddress.TryParse(options.MetricsHost, out _) && options.MetricsHost != "localhost")
        {
            failures.Add($"MetricsHost '{options.MetricsHost}' is not an IP address or 'localhost'.");
        }

        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"ShutdownTimeout {options.ShutdownTimeout} is outside 0..10 minutes.");
        }

        if (options.Redis is not null && options.Redis.Trim().Length == 0)
        {
            failures.Add("Redis must be a StackExchange.Redis configuration string such as 'localhost:6379' when set.");
        }

        if (options.Redis is not null && !ClusterNames.IsValid(options.Cluster))
        {
            failures.Add($"Cluster '{options.Cluster}' must be 1..64 letters, digits, '-', '_' or '.'.");
        }

        if (options.NodeName is not null && !ClusterNames.IsValid(options.NodeName))
        {
            failures.Add($"NodeName '{options.NodeName}' must be 1..64 letters, digits, '-', '_' or '.'.");
        }

        if (options.NodeTimeout < TimeSpan.FromMilliseconds(300) || options.NodeTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"NodeTimeout {options.NodeTimeout} is outside 0.3 seconds..10 minutes.");
        }

        ValidateTls(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // TLS is off unless TlsPort is set; then the files must load now, not at the first handshake.
    private static void ValidateTls(ChatServerOptions options, List<string> failures)
    {
        if (options.TlsPort is not { } tlsPort)
        {
            return;
        }

        if (tlsPort is < 0 or > 65535 || (tlsPort != 0 && tlsPort == options.Port))
        {
            failures.Add($"TlsPort {tlsPort} is outside 0..65535 or is the plain Port.");
        }

        if (string.IsNullOrEmpty(options.TlsCertificate))
        {
            failures.Add("TlsPort is set but TlsCertificate is not: give --tls-cert (and --tls-key for PEM files).");
            return;
        }

        try
        {
            TlsCertificateFiles.Load(options.TlsCertificate, string.IsNullOrEmpty(options.TlsKey) ? null : options.TlsKey).Certificate.Dispose();
        }
        catch (TlsCertificateException exception)
        {
            failures.Add(exception.Message);
        }
    }
}
