namespace Chat.TestKit;

/// <summary>One length prefix example of docs/PROTOCOL.md: the body length it announces, or null for a violation.</summary>
public sealed record ProtocolGuidePrefix(int LineNumber, byte[] Prefix, int? Length);
