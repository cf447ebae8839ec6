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

    /// <summary>A fresh per-connection message-rate bucket, or null when the rate is off.</summary>
    public TokenBucket? CreateMessageRate() =>
        MessageRatePerSecond > 0 ? new TokenBucket(MessageRatePerSecond, MessageBurst, TimeProvider) : null;
}
