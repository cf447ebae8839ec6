using Google.Protobuf;

namespace Chat.TestKit;

/// <summary>One frame example of docs/PROTOCOL.md: the message it shows and the bytes it claims.</summary>
public sealed record ProtocolGuideFrame(int LineNumber, string Text, IMessage Message, byte[] Frame);
