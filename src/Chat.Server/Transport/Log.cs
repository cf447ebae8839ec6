using Microsoft.Extensions.Logging;

namespace Chat.Server.Transport;

/// <summary>The transport's log events (the TLS port's certificate).</summary>
internal static partial class Log
{
    [LoggerMessage(500, LogLevel.Information, "TLS certificate loaded: {Subject}, expires {NotAfter:u}, thumbprint {Thumbprint}", EventName = "TlsCertificateLoaded")]
    public static partial void TlsCertificateLoaded(ILogger logger, string subject, DateTimeOffset notAfter, string thumbprint);

    [LoggerMessage(501, LogLevel.Error, "TLS certificate reload failed, the current certificate stays: {Reason}", EventName = "TlsReloadFailed")]
    public static partial void TlsReloadFailed(ILogger logger, string reason);
}
