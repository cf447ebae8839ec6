namespace Chat.LoadGen;

/// <summary>The server's and the generator's CPU and memory at the start and the end of the measured window.</summary>
internal sealed record WindowSamples(ProcessSample? ServerBefore, ProcessSample? ServerAfter, ProcessSample? SelfBefore, ProcessSample? SelfAfter)
{
    /// <summary>Waits through the warm-up and the measured window, sampling at both ends.</summary>
    public static async Task<WindowSamples> TakeAsync(RunClock clock, int? serverPid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        await RunClock.DelayUntilAsync(clock.WarmupEnd, cancellationToken);
        var serverBefore = ProcessSample.TryRead(serverPid);
        var selfBefore = ProcessSample.TryRead(Environment.ProcessId);
        await RunClock.DelayUntilAsync(clock.MeasureEnd, cancellationToken);
        return new WindowSamples(serverBefore, ProcessSample.TryRead(serverPid), selfBefore, ProcessSample.TryRead(Environment.ProcessId));
    }

    /// <summary>Operations done between the two samples at <paramref name="rate"/> per second (they are a few ms off the window).</summary>
    public long OperationsAt(double rate, long measured) => ServerAfter is { } after && ServerBefore is { } before
        ? (long)(rate * RunReport.Seconds(after.Timestamp - before.Timestamp))
        : measured;
}
