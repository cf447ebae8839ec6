namespace Chat.LoadGen;

/// <summary>
/// CPU and memory at the start and the end of the measured window: each server's (one per node),
/// Redis's when its pid was given, and this generator's own.
/// </summary>
internal sealed record WindowSamples(ProcessSamples Before, ProcessSamples After)
{
    /// <summary>Waits through the warm-up and the measured window, sampling at both ends.</summary>
    public static async Task<WindowSamples> TakeAsync(RunClock clock, RunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(settings);
        await RunClock.DelayUntilAsync(clock.WarmupEnd, cancellationToken);
        var before = ProcessSamples.Take(settings);
        await RunClock.DelayUntilAsync(clock.MeasureEnd, cancellationToken);
        return new WindowSamples(before, ProcessSamples.Take(settings));
    }

    /// <summary>Operations done between the two samples at <paramref name="rate"/> per second (they are a few ms off the window).</summary>
    public long OperationsAt(double rate, long measured) => Before.Servers.Count > 0 && Before.Servers[0] is { } before && After.Servers[0] is { } after
        ? (long)(rate * RunReport.Seconds(after.Timestamp - before.Timestamp))
        : measured;
}

/// <summary>One moment's samples of every process a run watches.</summary>
internal sealed record ProcessSamples(IReadOnlyList<ProcessSample?> Servers, ProcessSample? Redis, ProcessSample? Self)
{
    public static ProcessSamples Take(RunSettings settings) => new(
        settings.ServerPids.Select(pid => ProcessSample.TryRead(pid)).ToList(),
        ProcessSample.TryRead(settings.RedisPid),
        ProcessSample.TryRead(Environment.ProcessId));

    /// <summary>True when every server was sampled.</summary>
    public bool HasServers => Servers.Count > 0 && Servers.All(sample => sample is not null);

    /// <summary>The servers' resident memory together.</summary>
    public long ServerRssKiB => Servers.Sum(sample => sample?.RssKiB ?? 0);

    /// <summary>The servers' CPU milliseconds since <paramref name="before"/>, together.</summary>
    public double ServerCpuMillisecondsSince(ProcessSamples before)
    {
        ArgumentNullException.ThrowIfNull(before);
        double total = 0;
        for (var index = 0; index < Servers.Count; index++)
        {
            if (Servers[index] is { } after && before.Servers[index] is { } earlier)
            {
                total += after.CpuMillisecondsSince(earlier);
            }
        }

        return total;
    }
}
