using Chat.Server.Admin;
using Chat.Server.Routing;
using Chat.Server.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hosting;

/// <summary>
/// Graceful shutdown (PROTOCOL.md, "Conversation" 6): refuse newcomers, tell every user once, keep
/// serving them for the drain time (or until they all left), close them, then stop the host.
/// </summary>
internal sealed partial class ShutdownCoordinator : IServerControl, IHostedService
{
    // After the drain, how long closing sessions get to flush before the host stops regardless.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private readonly ChatHub _hub;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeSpan _defaultDrainTime;
    private readonly ILogger<ShutdownCoordinator> _logger;
    private readonly Lock _gate = new();
    private Task? _drain;
    private TimeSpan _drainTime;

    public ShutdownCoordinator(ChatHub hub, IHostApplicationLifetime lifetime, IOptions<ChatServerOptions> options, ILogger<ShutdownCoordinator> logger)
    {
        _hub = hub;
        _lifetime = lifetime;
        _defaultDrainTime = options.Value.ShutdownTimeout;
        _logger = logger;
    }

    public TimeSpan RequestShutdown(TimeSpan? drainTime)
    {
        lock (_gate)
        {
            if (_drain is null)
            {
                _drainTime = drainTime ?? _defaultDrainTime;
                _drain = DrainAsync(_drainTime);
            }

            return _drainTime;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host is stopping (after a drain, or forced): whoever is still here is closed now.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _hub.BeginDrain();
        _hub.CloseAll(DisconnectReason.Shutdown, "the server is shutting down");
        try
        {
            await _hub.WhenUserCountAsync(0, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogUsersLeftOpen(_logger, _hub.Registry.Count);
        }
    }

    private async Task DrainAsync(TimeSpan drainTime)
    {
        await Task.Yield();
        _hub.BeginDrain();
        LogDrainStarted(_logger, drainTime.TotalSeconds, _hub.Registry.Count);
        var stopping = _lifetime.ApplicationStopping;
        // The drain's clock starts before users hear of it, so the time it promises is never short.
        var drainOver = Task.Delay(drainTime, _hub.TimeProvider, stopping);
        _hub.Announce($"the server is shutting down; you will be disconnected in {drainTime.TotalSeconds:0.#} s");
        try
        {
            var allLeft = _hub.WhenUserCountAsync(0, stopping);
            await Task.WhenAny(allLeft, drainOver);
            _hub.CloseAll(DisconnectReason.Shutdown, notice: null);
            using var closeTimeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            closeTimeout.CancelAfter(CloseTimeout);
            await _hub.WhenUserCountAsync(0, closeTimeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Forced: a second signal or the host itself is stopping; StopAsync closes whoever is left.
        }

        _lifetime.StopApplication();
    }

    [LoggerMessage(300, LogLevel.Information, "Shutting down: draining {Users} users for {Seconds} s", EventName = "DrainStarted")]
    private static partial void LogDrainStarted(ILogger logger, double seconds, int users);

    [LoggerMessage(301, LogLevel.Warning, "Stopped with {Users} users still closing", EventName = "UsersLeftOpen")]
    private static partial void LogUsersLeftOpen(ILogger logger, int users);
}
