namespace Chat.Server.Sessions;

/// <summary>The limits and clock a session runs with, taken from the server's options once.</summary>
internal sealed record SessionSettings(
    int MaxFrameLength,
    long MaxQueuedBytes,
    double MessageRatePerSecond,
    double MessageBurst,
    TimeSpan HandshakeTimeout,
    TimeProvider TimeProvider)
{
    public static SessionSettings From(ChatServerOptions options, TimeProvider timeProvider) => new(
        options.MaxFrameLength,
        options.MaxQueuedBytesPerConnection,
        options.MessageRatePerSecond,
        options.MessageBurst,
        options.HandshakeTimeout,
        timeProvider);

    /// <summary>
    /// A throttled read loop sleeps at least this long, so that it wakes at most a thousand times a
    /// second and takes the tokens saved meanwhile as one batch with one flush. Waking for each token
    /// instead (10 us apart at the default rate) cost a connection held at its rate 6 us of CPU per
    /// message, four times what the same messages cost unthrottled: the flood cost the server more
    /// than the flood itself.
    /// </summary>
    public static readonly TimeSpan MinThrottleWait = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The least a message-rate bucket holds, in time at its rate. A throttled loop wakes about once
    /// every <see cref="MinThrottleWait"/>, later on a busy machine; a bucket that could not hold
    /// what the rate earned meanwhile would cap every wake-up at its size and the rate well below
    /// what was set (a burst of 20 at 100,000/s let 2,725 messages a second through on a busy
    /// machine, one wake-up every 7 ms or so).
    /// </summary>
    public static readonly TimeSpan MinBucketTime = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// A fresh per-connection message-rate bucket, or null when the rate is off: the configured
    /// burst, or <see cref="MinBucketTime"/> of the rate if that is more (1,000 messages at the
    /// default 100,000/s, far below the default burst).
    /// </summary>
    public TokenBucket? CreateMessageRate() =>
        MessageRatePerSecond > 0
            ? new TokenBucket(MessageRatePerSecond, Math.Max(MessageBurst, MessageRatePerSecond * MinBucketTime.TotalSeconds), TimeProvider)
            : null;
}
