namespace Chat.LoadGen.Soak;

/// <summary>
/// One logical clock for every client of the soak: each event that the checks compare (a message
/// sent, its echo received, a handshake held, a leave begun) takes the next tick, so "before" and
/// "after" across clients mean what they say without relying on wall-clock resolution.
/// </summary>
internal sealed class SoakClock
{
    private long _now;

    /// <summary>The next tick; strictly greater than every tick taken before it.</summary>
    public long Next() => Interlocked.Increment(ref _now);
}
