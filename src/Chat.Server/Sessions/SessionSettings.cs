namespace Chat.Server.Sessions;

/// <summary>The limits and clock a session runs with, taken from the server's options once.</summary>
internal sealed record SessionSettings(int MaxFrameLength, long MaxQueuedBytes, TimeProvider TimeProvider);
