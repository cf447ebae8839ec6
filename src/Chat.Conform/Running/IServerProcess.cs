namespace Chat.Conform.Running;

/// <summary>The server as a process the suite may stop (given with --server-pid), for the drain check.</summary>
internal interface IServerProcess
{
    /// <summary>Asks the server to stop gracefully, as SIGTERM does.</summary>
    Task RequestStopAsync(CancellationToken cancellationToken);

    /// <summary>True once the process has ended, false if it still runs after <paramref name="timeout"/>.</summary>
    Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
