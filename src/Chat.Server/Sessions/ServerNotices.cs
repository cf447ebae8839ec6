using Chat.Protocol;

namespace Chat.Server.Sessions;

/// <summary>Frames the server itself originates: from 0, to the receiving user (PROTOCOL.md, "Conversation" 4).</summary>
internal static class ServerNotices
{
    public static ChatMessage Create(long to, string text) => new() { From = 0, To = to, Msg = text };

    /// <summary>The notice as a frame ready to queue.</summary>
    public static byte[] Frame(long to, string text) => FrameWriter.ToFrame(Create(to, text));
}
