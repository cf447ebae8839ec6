using Chat.Server.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Routing;

/// <summary>
/// Closes connections that sent nothing for <c>IdleTimeout</c>, with a notice. One timer for the
/// whole server instead of one per connection: a sweep every quarter of the timeout (at most every
/// second) finds them at most that late.
/// </summary>
internal sealed class IdleSweeper : IHostedService, IDisposable
{
    private readonly ChatHub _hub;
    private readonly TimeSpan _idleTimeout;
    private ITimer? _timer;

    public IdleSweeper(ChatHub hub, IOptions<ChatServerOptions> options)
    {
        _hub = hub;
        _idleTimeout = options.Value.IdleTimeout;
    }

    /// <summary>How often the sweep runs for a given timeout.</summary>
    public static TimeSpan SweepInterval(TimeSpan idleTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_idleTimeout > TimeSpan.Zero)
        {
            var interval = SweepInterval(_idleTimeout);
            _timer = _hub.TimeProvider.CreateTimer(static state => ((IdleSweeper)state!).Sweep(), this, interval, interval);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Sweep()
    {
        var clock = _hub.TimeProvider;
        var now = clock.GetTimestamp();
        foreach (var session in _hub.Registry.Sessions)
        {
            if (clock.GetElapsedTime(session.Counters.LastActivityTimestamp, now) >= _idleTimeout)
            {
                session.Close(DisconnectReason.IdleTimeout, $"no message for {_idleTimeout.TotalSeconds:0.#} s; closing the connection");
            }
        }
    }
}
