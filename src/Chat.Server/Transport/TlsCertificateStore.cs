using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>
/// The certificate the TLS port hands to each new handshake. <see cref="Reload"/> reads the files
/// again (SIGHUP, <c>reload.tls</c>): new connections get the new certificate, connections already
/// made keep the session they negotiated, and bad new files leave the old certificate in place.
/// It reads the files once at start-up, after the validator has checked them, so that the
/// certificate served is the one that was there when the server started.
/// </summary>
internal sealed class TlsCertificateStore : IHostedService
{
    private readonly string _certificatePath;
    private readonly string? _keyPath;
    private readonly ILogger _logger;
    private readonly Lock _loading = new();
    private volatile TlsCertificate? _current;

    public TlsCertificateStore(IOptions<ChatServerOptions> options, ILogger<TlsCertificateStore> logger)
    {
        // The validator has made sure the path is set and the files load.
        _certificatePath = options.Value.TlsCertificate!;
        _keyPath = string.IsNullOrEmpty(options.Value.TlsKey) ? null : options.Value.TlsKey;
        _logger = logger;
    }

    /// <summary>The certificate for the next handshake; the first call reads the files.</summary>
    public TlsCertificate Current => _current ?? LoadFirst();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Current;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads the files again and serves them from the next handshake on.</summary>
    /// <exception cref="TlsCertificateException">The new files are bad; the current certificate stays.</exception>
    public TlsCertificate Reload()
    {
        lock (_loading)
        {
            return LoadLocked();
        }
    }

    private TlsCertificate LoadFirst()
    {
        lock (_loading)
        {
            return _current ?? LoadLocked();
        }
    }

    private TlsCertificate LoadLocked()
    {
        TlsCertificate loaded;
        try
        {
            loaded = TlsCertificateFiles.Load(_certificatePath, _keyPath);
        }
        catch (TlsCertificateException exception)
        {
            Log.TlsReloadFailed(_logger, exception.Message);
            throw;
        }

        // The old certificate is not disposed: a handshake that picked it up may still be using
        // it, and one certificate per renewal is nothing to hold.
        _current = loaded;
        Log.TlsCertificateLoaded(_logger, loaded.Subject, loaded.NotAfter, loaded.Thumbprint);
        return loaded;
    }
}
