using System.Runtime.InteropServices;
using Chat.Server.Transport;
using Microsoft.Extensions.Hosting;

namespace Chat.Server.Hosting;

/// <summary>
/// SIGHUP reads the TLS files again, as <c>reload.tls</c> does, so a certbot deploy hook can renew
/// the certificate without a restart. Registered only when the server owns its process and TLS is on.
/// </summary>
internal sealed class TlsReloadSignal : IHostedService, IDisposable
{
    private readonly TlsCertificateStore _store;
    private PosixSignalRegistration? _registration;

    public TlsReloadSignal(TlsCertificateStore store) => _store = store;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    private void OnHangup(PosixSignalContext context)
    {
        // SIGHUP would otherwise end the process.
        context.Cancel = true;
        try
        {
            _store.Reload();
        }
        catch (TlsCertificateException)
        {
            // Logged by the store; the current certificate stays.
        }
    }
}
