using Chat.Server.Routing;
using Microsoft.Extensions.Hosting;

namespace Chat.Server.Admin;

/// <summary>
/// Takes the server's traffic totals and user count once a second and keeps the last ten minutes
/// of them, so that <c>stats</c> can show rates over the last 1, 10 and 60 seconds and
/// <c>history</c> (the dashboard's charts) the last ten minutes. One timer for the server, on the
/// injected clock; it reads the counters that exist, so the message path gains nothing.
/// </summary>
internal sealed class TrafficSampler : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>The longest window: ten minutes of one-second steps.</summary>
    public const int HistorySeconds = 600;

    // Ten minutes of history, plus the sample they are measured back from: about 34 KB.
    private const int Capacity = HistorySeconds + 1;

    private readonly ChatHub _hub;
    private readonly Lock _gate = new();
    private readonly Reading[] _samples = new Reading[Capacity];
    private long _taken;
    private int _count;
    private int _newest = -1;
    private ITimer? _timer;

    public TrafficSampler(ChatHub hub) => _hub = hub;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Sample();
        _timer = _hub.TimeProvider.CreateTimer(static state => ((TrafficSampler)state!).Sample(), this, Interval, Interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>
    /// Per-second rates between the newest sample and the one <paramref name="seconds"/> samples
    /// before it (or the oldest there is, while the server is younger than that); zero before the
    /// second sample.
    /// </summary>
    public TrafficRates RatesOver(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, Capacity - 1);
        Reading newest, oldest;
        lock (_gate)
        {
            if (_count < 2)
            {
                return default;
            }

            var back = Math.Min(seconds, _count - 1);
            newest = _samples[_newest];
            oldest = _samples[(_newest - back + Capacity) % Capacity];
        }

        var elapsed = _hub.TimeProvider.GetElapsedTime(oldest.Timestamp, newest.Timestamp).TotalSeconds;
        if (elapsed <= 0)
        {
            return default;
        }

        var (now, then) = (newest.Totals, oldest.Totals);
        return new TrafficRates(
            PerSecond(now.MessagesIn - then.MessagesIn, elapsed),
            PerSecond(now.BytesIn - then.BytesIn, elapsed),
            PerSecond(now.FramesOut - then.FramesOut, elapsed),
            PerSecond(now.BytesOut - then.BytesOut, elapsed),
            PerSecond(now.Deliveries - then.Deliveries, elapsed));
    }

    /// <summary>
    /// The last <paramref name="seconds"/> steps (or as many as there are), oldest first: messages
    /// received per second during each, and the users at its end (in cluster mode the cluster's, as
    /// <c>num.users</c> counts them).
    /// </summary>
    public TrafficHistory History(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, HistorySeconds);
        lock (_gate)
        {
            var steps = Math.Min(seconds, _count - 1);
            var messages = new double[Math.Max(steps, 0)];
            var users = new int[messages.Length];
            for (var i = 0; i < messages.Length; i++)
            {
                var end = _samples[(_newest - steps + 1 + i + Capacity) % Capacity];
                var start = _samples[(_newest - steps + i + Capacity) % Capacity];
                var elapsed = _hub.TimeProvider.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
                messages[i] = elapsed <= 0 ? 0 : PerSecond(end.Totals.MessagesIn - start.Totals.MessagesIn, elapsed);
                users[i] = end.Users;
            }

            return new TrafficHistory(_taken - 1, Interval.TotalSeconds, messages, users);
        }
    }

    // Three decimals: timer jitter makes the rest noise.
    private static double PerSecond(long count, double seconds) => Math.Round(count / seconds, 3);

    private void Sample()
    {
        var totals = _hub.Statistics.Totals(_hub.Registry.Sessions);
        var users = _hub.Registry.Count + (_hub.Presence?.RemoteUserCount ?? 0);
        var timestamp = _hub.TimeProvider.GetTimestamp();
        lock (_gate)
        {
            _newest = (_newest + 1) % Capacity;
            _samples[_newest] = new Reading(timestamp, totals, users);
            _count = Math.Min(_count + 1, Capacity);
            _taken++;
        }
    }

    private readonly record struct Reading(long Timestamp, TrafficTotals Totals, int Users);
}
