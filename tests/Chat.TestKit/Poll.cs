using System.Diagnostics;

namespace Chat.TestKit;

/// <summary>
/// Looks at a condition every few milliseconds until it holds, within <see cref="TestTimeouts.Default"/>.
/// Only for what sends no event a test could wait on: a state inside another process (Redis, the
/// server's console) or on a client's own timers. Everything else waits for its event.
/// </summary>
public static class Poll
{
    /// <summary>Completes once <paramref name="condition"/> is true; throws <see cref="TimeoutException"/> with <paramref name="failure"/> at the deadline.</summary>
    public static Task UntilAsync(Func<bool> condition, string failure, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), () => failure, interval);

    /// <summary>As above, for a condition that has to ask (a command to another process); the failure text is made at the deadline.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> failure, TimeSpan? interval = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TestTimeouts.Default)
            {
                throw new TimeoutException(failure());
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(20));
        }
    }
}
