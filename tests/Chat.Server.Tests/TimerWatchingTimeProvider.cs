using Chat.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests;

/// <summary>
/// A fake clock that also tells a test when the server starts a one-shot timer of a given length.
/// A fake clock fires only the timers that exist when it is advanced, so a test that waits for the
/// server's own timer (a reply's write timeout, say) before it advances never races the server.
/// </summary>
internal sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TimeSpan, int> _started = [];
    private readonly List<(TimeSpan DueTime, int Count, TaskCompletionSource Reached)> _waiters = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (period == Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                var count = _started[dueTime] = _started.GetValueOrDefault(dueTime) + 1;
                foreach (var waiter in _waiters.Where(waiter => waiter.DueTime == dueTime && waiter.Count <= count).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Reached.TrySetResult();
                }
            }
        }

        return timer;
    }

    /// <summary>How many one-shot timers of <paramref name="dueTime"/> were started so far.</summary>
    public int Started(TimeSpan dueTime)
    {
        lock (_gate)
        {
            return _started.GetValueOrDefault(dueTime);
        }
    }

    /// <summary>Completes once more than <paramref name="after"/> one-shot timers of <paramref name="dueTime"/> were started.</summary>
    public Task WhenStartedAsync(TimeSpan dueTime, int after = 0)
    {
        lock (_gate)
        {
            if (_started.GetValueOrDefault(dueTime) > after)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, after + 1, reached));
            return reached.Task.WaitAsync(TestTimeouts.Default);
        }
    }
}
