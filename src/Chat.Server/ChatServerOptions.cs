using Chat.Protocol;

namespace Chat.Server;

/// <summary>
/// Everything an operator can set, bound from appsettings.json (section "Chat"), the environment
/// (<c>Chat__MaxUsers=500</c>) and the command line, in rising precedence.
/// </summary>
public sealed class ChatServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Chat";

    /// <summary>Address to listen on. Default 0.0.0.0 (every interface), so a classroom can reach it.</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>TCP port. Default 7777; 0 picks a free port (tests).</summary>
    public int Port { get; init; } = 7777;

    /// <summary>
    /// Connected users at most. Default 10,000: well inside the usual descriptor limit, with room
    /// for the refusals the server still has to answer past it.
    /// </summary>
    public int MaxUsers { get; init; } = 10_000;

    /// <summary>
    /// Largest frame body a client may send, in bytes. Default 64 KiB (PROTOCOL.md): a chat line
    /// never needs more, and the bound keeps one client from making the server buffer megabytes.
    /// </summary>
    public int MaxFrameLength { get; init; } = FrameLimits.DefaultMaxBodyLength;

    /// <summary>
    /// Bytes the server holds queued for one connection before it disconnects it as a slow consumer.
    /// Default 1 MiB: sixteen maximum-size frames, far more than a reading client ever lags.
    /// </summary>
    public int MaxQueuedBytesPerConnection { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long a graceful shutdown keeps serving the users it has before it closes them.
    /// Default 5 seconds: long enough for every queued frame to go out and for clients to say goodbye.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
