using Chat.Server.Sessions;

namespace Chat.Server.Web;

/// <summary>The text of a close frame, which RFC 6455 bounds at 123 bytes of UTF-8.</summary>
internal static class CloseReason
{
    public const int MaxBytes = 123;

    /// <summary><paramref name="text"/>, cut at a character boundary to fit; null stays null.</summary>
    public static string? For(string? text) => text is null ? null : Utf8Text.Cut(text, MaxBytes, "...");
}
