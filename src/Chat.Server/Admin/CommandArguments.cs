using System.Globalization;

namespace Chat.Server.Admin;

/// <summary>Checks and converts the words after a command's name.</summary>
internal static class CommandArguments
{
    public static void ExpectNone(IReadOnlyList<string> arguments)
    {
        if (arguments.Count > 0)
        {
            throw new CommandException($"takes no arguments, got '{string.Join(' ', arguments)}'");
        }
    }

    /// <summary>The optional number at <paramref name="index"/>, within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static double? OptionalNumber(IReadOnlyList<string> arguments, int index, double min, double max)
    {
        if (arguments.Count <= index)
        {
            return null;
        }

        if (!double.TryParse(arguments[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            value < min || value > max)
        {
            throw new CommandException($"'{arguments[index]}' is not a number from {min} to {max}");
        }

        return value;
    }
}
