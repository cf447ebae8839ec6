using System.Globalization;
using Chat.Protocol;

namespace Chat.Conform.Wire;

/// <summary>Messages written for a student to read: <c>{from: 3, to: 0, msg: "hello"}</c>, long texts cut short.</summary>
internal static class MessageText
{
    private const int ShownCharacters = 40;

    public static string Describe(ChatMessage message) =>
        string.Create(CultureInfo.InvariantCulture, $"{{from: {message.From}, to: {message.To}, msg: {Quote(message.Msg)}}}");

    public static string Describe(Handshake handshake) => handshake.Error
        ? string.Create(CultureInfo.InvariantCulture,
            $"{{id: {handshake.Id}, error: true, reason: {Quote(handshake.Reason)}, refusal: {handshake.Refusal}, retry_after_ms: {handshake.RetryAfterMs}}}")
        : string.Create(CultureInfo.InvariantCulture, $"{{id: {handshake.Id}, error: false}}");

    /// <summary>The first few messages of a list, for "it got ... instead".</summary>
    public static string DescribeAll(IReadOnlyList<ChatMessage> messages, int limit = 3)
    {
        if (messages.Count == 0)
        {
            return "nothing";
        }

        var shown = string.Join(", ", messages.Take(limit).Select(Describe));
        return messages.Count > limit
            ? string.Create(CultureInfo.InvariantCulture, $"{messages.Count} frames, the first {shown}")
            : shown;
    }

    public static string Quote(string text) => text.Length <= ShownCharacters
        ? $"\"{text}\""
        : string.Create(CultureInfo.InvariantCulture, $"\"{text[..ShownCharacters]}...\" ({text.Length:N0} characters)");
}
