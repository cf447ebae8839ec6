using System.Diagnostics;

namespace Chat.LoadGen;

/// <summary>
/// The phases of one run, as <see cref="Stopwatch"/> timestamps: a warm-up whose results are dropped,
/// the measured window, then a bounded drain after which anything outstanding counts as an error.
/// </summary>
internal sealed class RunClock
{
    // How long connections may take to hand back what is still in flight once sending stopped.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public RunClock(TimeSpan warmup, TimeSpan duration) => Restart(warmup, duration);

    public long Started { get; private set; }

    public long WarmupEnd { get; private set; }

    public long MeasureEnd { get; private set; }

    /// <summary>The hard stop: the run ends by then whatever the server does.</summary>
    public long Deadline { get; private set; }

    /// <summary>Starts the phases again from now (a run that first gets ready, then measures).</summary>
    public void Restart(TimeSpan warmup, TimeSpan duration)
    {
        Started = Stopwatch.GetTimestamp();
        WarmupEnd = Started + ToTicks(warmup);
        MeasureEnd = WarmupEnd + ToTicks(duration);
        Deadline = MeasureEnd + ToTicks(DrainTimeout);
    }

    public TimeSpan UntilDeadline => TimeSpan.FromSeconds(Math.Max(0, Deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    public bool IsMeasured(long timestamp) => timestamp >= WarmupEnd && timestamp < MeasureEnd;

    /// <summary>Waits until <paramref name="timestamp"/>.</summary>
    public static Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = timestamp - Stopwatch.GetTimestamp();
        return remaining <= 0
            ? Task.CompletedTask
            : Task.Delay(TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency), cancellationToken);
    }

    public static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static double ToNanoseconds(long ticks) => ticks * (1e9 / Stopwatch.Frequency);
}
