using System.Globalization;

namespace Chat.LoadGen.Soak;

/// <summary>The kinds of message a soak client sends, and their shares (weights given as <c>D:B:S</c>).</summary>
internal sealed record MessageMix(double Direct, double Broadcast, double ToSelf)
{
    public enum Kind
    {
        Direct,
        Broadcast,
        ToSelf,
    }

    /// <summary>Reads <c>direct:broadcast:self</c> weights, such as <c>6:2:2</c>; null when they are not three non-negative numbers with a positive sum.</summary>
    public static MessageMix? TryParse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            return null;
        }

        var weights = new double[3];
        for (var index = 0; index < 3; index++)
        {
            if (!double.TryParse(parts[index], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[index]) || weights[index] < 0 || !double.IsFinite(weights[index]))
            {
                return null;
            }
        }

        var sum = weights.Sum();
        return sum > 0 ? new MessageMix(weights[0] / sum, weights[1] / sum, weights[2] / sum) : null;
    }

    /// <summary>The kind for a uniform draw in [0, 1).</summary>
    public Kind Pick(double draw) => draw < Direct ? Kind.Direct : draw < Direct + Broadcast ? Kind.Broadcast : Kind.ToSelf;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Direct:0.##}:{Broadcast:0.##}:{ToSelf:0.##}");
}
