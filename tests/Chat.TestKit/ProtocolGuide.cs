using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chat.Protocol;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Chat.TestKit;

/// <summary>
/// The examples in docs/PROTOCOL.md, read by the convention stated in the comment at its top:
/// <c>`Handshake{id:5}` -> `02 08 05`</c> for a frame, <c>prefix `80 00` -> length 0</c> or
/// <c>prefix `... ` -> violation</c> for a length prefix, and the worked session's table rows.
/// </summary>
public static partial class ProtocolGuide
{
    private const string Arrow = "` -> ";

    public static string FilePath => RepositoryRoot.Combine("docs", "PROTOCOL.md");

    /// <summary>Every frame example, with the message it shows built from the generated classes.</summary>
    public static IReadOnlyList<ProtocolGuideFrame> Frames() =>
        [.. ReadLines().SelectMany((line, index) => FramePattern().Matches(line).Select(match => ToFrame(match, index + 1)))];

    /// <summary>Every length prefix example.</summary>
    public static IReadOnlyList<ProtocolGuidePrefix> Prefixes() =>
        [.. ReadLines().SelectMany((line, index) => PrefixPattern().Matches(line).Select(match => new ProtocolGuidePrefix(
            index + 1,
            Convert.FromHexString(match.Groups["hex"].Value.Replace(" ", "", StringComparison.Ordinal)),
            match.Groups["length"].Success ? int.Parse(match.Groups["length"].Value, CultureInfo.InvariantCulture) : null)))];

    /// <summary>Lines that look like an example (a backquote, an arrow) but fit neither form: typos.</summary>
    public static IReadOnlyList<string> UnreadableLines() =>
        [.. ReadLines()
            .Select((line, index) => (line, number: index + 1))
            .Where(entry => CountArrows(entry.line) != FramePattern().Count(entry.line) + PrefixPattern().Count(entry.line))
            .Select(entry => $"line {entry.number}: {entry.line}")];

    /// <summary>The rows of the worked session's table, in order.</summary>
    public static IReadOnlyList<ProtocolGuideStep> WorkedSession()
    {
        var lines = ReadLines();
        var start = Array.FindIndex(lines, line => line.StartsWith("## ", StringComparison.Ordinal) &&
            line.Contains("worked session", StringComparison.OrdinalIgnoreCase));
        if (start < 0)
        {
            throw new InvalidOperationException($"{FilePath} has no section headed '... worked session'");
        }

        var steps = new List<ProtocolGuideStep>();
        for (var index = start + 1; index < lines.Length && !lines[index].StartsWith("## ", StringComparison.Ordinal); index++)
        {
            var row = StepPattern().Match(lines[index]);
            var frame = FramePattern().Match(lines[index]);
            if (row.Success && frame.Success)
            {
                steps.Add(new ProtocolGuideStep(row.Groups["from"].Value, row.Groups["to"].Value, ToFrame(frame, index + 1)));
            }
        }

        return steps;
    }

    private static string[] ReadLines() => File.ReadAllLines(FilePath);

    private static int CountArrows(string line)
    {
        var count = 0;
        for (var at = line.IndexOf(Arrow, StringComparison.Ordinal); at >= 0; at = line.IndexOf(Arrow, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static ProtocolGuideFrame ToFrame(Match match, int lineNumber)
    {
        var text = match.Value;
        var descriptor = match.Groups["type"].Value switch
        {
            nameof(ChatMessage) => ChatMessage.Descriptor,
            nameof(Handshake) => Handshake.Descriptor,
            var other => throw new FormatException($"line {lineNumber}: {other} is not a message of chat.proto: {text}"),
        };
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        var fields = FieldsPattern().Match(match.Groups["fields"].Value);
        if (!fields.Success)
        {
            throw new FormatException($"line {lineNumber}: the fields are not written as name:value, ...: {text}");
        }

        for (var index = 0; index < fields.Groups["name"].Captures.Count; index++)
        {
            var name = fields.Groups["name"].Captures[index].Value;
            var field = descriptor.FindFieldByName(name)
                ?? throw new FormatException($"line {lineNumber}: {descriptor.Name} has no field {name}: {text}");
            field.Accessor.SetValue(message, ParseValue(field, fields.Groups["value"].Captures[index].Value, lineNumber));
        }

        var frame = Convert.FromHexString(match.Groups["hex"].Value.Replace(" ", "", StringComparison.Ordinal));
        return new ProtocolGuideFrame(lineNumber, text, message, frame);
    }

    private static object ParseValue(FieldDescriptor field, string value, int lineNumber) => field.FieldType switch
    {
        FieldType.Int64 => long.Parse(value, CultureInfo.InvariantCulture),
        FieldType.UInt32 => uint.Parse(value, CultureInfo.InvariantCulture),
        FieldType.Bool => bool.Parse(value),
        FieldType.String => JsonSerializer.Deserialize<string>(value)
            ?? throw new FormatException($"line {lineNumber}: {field.Name} needs a quoted string"),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.FindValueByName(value)?.Number
            ?? throw new FormatException($"line {lineNumber}: {value} is not a value of {field.EnumType.Name}")),
        _ => throw new FormatException($"line {lineNumber}: fields of type {field.FieldType} are not supported in examples"),
    };

    // `Type{name:value, ...}` -> `HEX HEX ...`
    [GeneratedRegex(@"`(?<type>[A-Za-z]+)\{(?<fields>[^`]*)\}` -> `(?<hex>[0-9A-F]{2}(?: [0-9A-F]{2})*)`")]
    private static partial Regex FramePattern();

    // prefix `HEX ...` -> length N, or prefix `HEX ...` -> violation
    [GeneratedRegex(@"prefix `(?<hex>[0-9A-F]{2}(?: [0-9A-F]{2})*)` -> (?:length (?<length>\d+)|violation)")]
    private static partial Regex PrefixPattern();

    // name:value pairs separated by ", "; a value is a JSON string or a bare word or number.
    [GeneratedRegex(@"^(?:(?<name>\w+):(?<value>""(?:[^""\\]|\\.)*""|[^,""\s]+)(?:, (?<name>\w+):(?<value>""(?:[^""\\]|\\.)*""|[^,""\s]+))*)?$")]
    private static partial Regex FieldsPattern();

    // | step | sender → receiver | frame | meaning |
    [GeneratedRegex(@"^\| *\d+ *\| *(?<from>[^|→]+?) → (?<to>[^|]+?) *\|")]
    private static partial Regex StepPattern();
}
