namespace Chat.LoadGen.Soak;

/// <summary>
/// One message a soak client sent: its <c>to</c>, the tick just before it was written, and the tick
/// its echo was read (0 while the echo has not come back).
/// </summary>
internal readonly record struct SentEntry(long Target, long SentTick, long EchoTick);
