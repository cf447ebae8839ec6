namespace Chat.TestKit;

/// <summary>One row of the worked session in docs/PROTOCOL.md: who sends which frame to whom.</summary>
public sealed record ProtocolGuideStep(string From, string To, ProtocolGuideFrame Frame);
