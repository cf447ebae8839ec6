using System.Globalization;

namespace Chat.LoadGen.Soak;

/// <summary>
/// The <c>msg</c> of every soak message: the sender's id and the message's sequence number,
/// <c>SENDER:SEQUENCE</c>, so each copy that arrives names what it is without the tool keeping copies.
/// </summary>
internal static class SoakText
{
    public static string Format(long sender, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{sender}:{sequence}");

    public static bool TryParse(string text, out long sender, out long sequence)
    {
        sequence = 0;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        sender = 0;
        return colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out sender)
            && long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
