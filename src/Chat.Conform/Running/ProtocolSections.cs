namespace Chat.Conform.Running;

/// <summary>The sections of docs/PROTOCOL.md the checks point to (GitHub's anchors for its headings).</summary>
internal static class ProtocolSections
{
    public static readonly ProtocolSection HandshakeMessage = new("2. Messages: Handshake", "handshake");
    public static readonly ProtocolSection RefusalCodes = new("2. Messages: Refusal codes", "refusal-codes");
    public static readonly ProtocolSection Defaults = new("2. Messages: Defaults are not on the wire", "defaults-are-not-on-the-wire");
    public static readonly ProtocolSection Framing = new("3. Framing", "3-framing");
    public static readonly ProtocolSection MaximumLength = new("3. Framing: The maximum length", "the-maximum-length-and-what-happens-past-it");
    public static readonly ProtocolSection ReadingFrames = new("3. Framing: Reading frames", "reading-frames");
    public static readonly ProtocolSection Conversation = new("4. The conversation, step by step", "4-the-conversation-step-by-step");
    public static readonly ProtocolSection Notices = new("5. Notices from the server", "5-notices-from-the-server");
    public static readonly ProtocolSection Ordering = new("6. Ordering and delivery", "6-ordering-and-delivery");
    public static readonly ProtocolSection SlowConsumers = new("7. Slow consumers", "7-slow-consumers");
    public static readonly ProtocolSection Shutdown = new("8. Graceful shutdown", "8-graceful-shutdown");
}
