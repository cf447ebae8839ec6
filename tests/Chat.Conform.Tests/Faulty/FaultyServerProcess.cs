using Chat.Conform.Running;

namespace Chat.Conform.Tests.Faulty;

/// <summary>The faulty server as the drain check sees a process: "SIGTERM" starts its shutdown, its end is its exit.</summary>
internal sealed class FaultyServerProcess : IServerProcess
{
    private readonly FaultyServer _server;

    public FaultyServerProcess(FaultyServer server) => _server = server;

    public Task RequestStopAsync(CancellationToken cancellationToken)
    {
        _server.BeginShutdown();
        return Task.CompletedTask;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _server.Exited.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
