using Chat.Conform.Running;
using Chat.TestKit;

namespace Chat.Conform.Tests;

/// <summary>Our in-process server as the drain check sees a process: the operator's shutdown stands for SIGTERM (the same path).</summary>
internal sealed class TestServerProcess : IServerProcess
{
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(1);

    private readonly TestServer _server;

    public TestServerProcess(TestServer server) => _server = server;

    public Task RequestStopAsync(CancellationToken cancellationToken)
    {
        _server.RequestShutdown(DrainTime);
        return Task.CompletedTask;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _server.WaitForStopRequestAsync();
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
