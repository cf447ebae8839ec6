using System.Runtime.InteropServices;
using Chat.Server.Admin;
using Microsoft.Extensions.Hosting;

namespace Chat.Server.Hosting;

/// <summary>
/// Ctrl+C, SIGTERM and SIGQUIT start the same graceful drain as the operator's <c>shutdown</c>;
/// a second signal forces the stop. Replaces the default console lifetime, which stops at once.
/// </summary>
internal sealed class ChatHostLifetime : IHostLifetime, IDisposable
{
    private readonly IServerControl _control;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public ChatHostLifetime(IServerControl control, IHostApplicationLifetime lifetime)
    {
        _control = control;
        _lifetime = lifetime;
    }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _control.RequestShutdown(drainTime: null);
        }
        else
        {
            _lifetime.StopApplication();
        }
    }
}
