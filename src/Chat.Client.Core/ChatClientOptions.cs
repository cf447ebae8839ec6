using Chat.Protocol;

namespace Chat.Client;

/// <summary>Settings for <see cref="ChatClient"/>.</summary>
public sealed class ChatClientOptions
{
    /// <summary>
    /// Largest frame body accepted from the server. Default 64 KiB plus room for the fields the
    /// server stamps (PROTOCOL.md: a server frame may exceed the client limit by up to 11 bytes).
    /// </summary>
    public int MaxIncomingFrameLength { get; init; } = FrameLimits.DefaultMaxBodyLength + 64;

    /// <summary>How long to wait for the TCP connection and the handshake. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
