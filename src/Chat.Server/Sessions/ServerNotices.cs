using System.Text;
using Chat.Protocol;

namespace Chat.Server.Sessions;

/// <summary>Frames the server itself originates: from 0, to the receiving user (PROTOCOL.md, "Conversation" 4).</summary>
internal static class ServerNotices
{
    /// <summary>
    /// The longest notice text, in UTF-8 bytes. Far below the 65,536-byte frame limit every client
    /// enforces, so no notice can make a conforming client drop its connection, whatever the server's
    /// own <c>MaxFrameLength</c> is; operator commands refuse longer text with a clear error.
    /// </summary>
    public const int MaxTextBytes = 4096;

    private const string Ellipsis = "…";

    public static ChatMessage Create(long to, string text) => new() { From = 0, To = to, Msg = Bound(text) };

    /// <summary>The notice as a frame ready to queue.</summary>
    public static byte[] Frame(long to, string text) => FrameWriter.ToFrame(Create(to, text));

    /// <summary>True when <paramref name="text"/> fits a notice as it is.</summary>
    public static bool Fits(string text) => Encoding.UTF8.GetByteCount(text) <= MaxTextBytes;

    // A last line of defence for text that comes from elsewhere (a violation's description): cut at
    // a character boundary, and say it was cut.
    private static string Bound(string text) => Utf8Text.Cut(text, MaxTextBytes, Ellipsis);
}
