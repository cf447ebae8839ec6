namespace Chat.Server.Sessions;

/// <summary>
/// A token bucket: <c>rate</c> tokens a second, at most <c>burst</c> saved up. Used for the
/// per-connection message rate and the server's accept rate. Not thread-safe; callers that share
/// one bucket serialise access.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private readonly TimeProvider _timeProvider;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double ratePerSecond, double burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _timeProvider = timeProvider;
        _tokens = burst;
        _lastRefill = timeProvider.GetTimestamp();
    }

    /// <summary>Takes one token if there is one; otherwise takes none and says how long until there is.</summary>
    public TimeSpan TryTake() => TryTake(_timeProvider.GetTimestamp());

    /// <summary>
    /// As <see cref="TryTake()"/>, at <paramref name="now"/> (<see cref="TimeProvider.GetTimestamp"/>
    /// ticks of this bucket's clock): a caller taking many tokens at one instant reads the clock once.
    /// </summary>
    public TimeSpan TryTake(long now)
    {
        // Tokens taken at the instant of the last refill (the rest of a batch) need no arithmetic,
        // and a stamp read before the bucket was made counts as no time passed, never as time back.
        if (now > _lastRefill)
        {
            var elapsed = _timeProvider.GetElapsedTime(_lastRefill, now);
            _lastRefill = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _ratePerSecond));
        }

        if (_tokens >= 1)
        {
            _tokens -= 1;
            return TimeSpan.Zero;
        }

        // At least one tick: a zero wait would read as "taken".
        var ticks = Math.Ceiling((1 - _tokens) / _ratePerSecond * TimeSpan.TicksPerSecond);
        return TimeSpan.FromTicks(Math.Max(1, (long)ticks));
    }
}
