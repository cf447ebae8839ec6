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

    public static void ExpectAtMost(IReadOnlyList<string> arguments, int count)
    {
        if (arguments.Count > count)
        {
            throw new CommandException(count == 1 ? "takes at most one argument" : $"takes at most {count} arguments");
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
            !(value >= min && value <= max))
        {
            // Written so that NaN fails too: every comparison with it is false.
            throw new CommandException($"'{arguments[index]}' is not a number from {min} to {max}");
        }

        return value;
    }

    /// <summary>The whole number at <paramref name="index"/>, within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static long WholeNumber(IReadOnlyList<string> arguments, int index, long min, long max, string what)
    {
        if (arguments.Count <= index)
        {
            throw new CommandException($"needs {what}");
        }

        if (!long.TryParse(arguments[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ||
            value < min || value > max)
        {
            throw new CommandException(string.Create(CultureInfo.InvariantCulture, $"'{arguments[index]}' is not a whole number from {min} to {max}"));
        }

        return value;
    }

    /// <summary>The optional whole number at <paramref name="index"/>, within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static long? OptionalWholeNumber(IReadOnlyList<string> arguments, int index, long min, long max) =>
        arguments.Count <= index ? null : WholeNumber(arguments, index, min, max, string.Empty);

    /// <summary>The words from <paramref name="index"/> on, joined by single spaces; empty when there are none.</summary>
    public static string Rest(IReadOnlyList<string> arguments, int index) =>
        arguments.Count <= index ? string.Empty : string.Join(' ', arguments.Skip(index));
}
