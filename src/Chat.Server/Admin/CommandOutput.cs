using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chat.Server.Admin;

/// <summary>
/// Where a command's reply goes: aligned text for people, or (with <c>--json</c>) one line of JSON
/// for scripts. Field names are snake_case and stable; reasons and refusals are spelled as in the
/// log (<c>ClientClosed</c>, <c>ServerFull</c>); docs/OPERATIONS.md lists them.
/// </summary>
internal sealed class CommandOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public CommandOutput(TextWriter writer, bool json)
    {
        Writer = writer;
        Json = json;
    }

    /// <summary>True when the caller asked for JSON.</summary>
    public bool Json { get; }

    public TextWriter Writer { get; }

    /// <summary>Shows <paramref name="data"/> as JSON, or as the text <paramref name="writeText"/> writes.</summary>
    public void Show<T>(T data, Action<T, TextWriter> writeText)
    {
        if (Json)
        {
            Writer.WriteLine(JsonSerializer.Serialize(data, JsonOptions));
        }
        else
        {
            writeText(data, Writer);
        }
    }

    /// <summary>Confirms an action: <paramref name="message"/> for people, <paramref name="data"/> as JSON.</summary>
    public void Confirm<T>(string message, T data) => Show(data, (_, writer) => writer.WriteLine(message));

    /// <summary>A failure in JSON, <c>{"error": line}</c>: the console's and the HTTP API's alike.</summary>
    public static string ErrorJson(string line) => JsonSerializer.Serialize(new { error = line }, JsonOptions);

    /// <summary>Reports a failure: the line as it is, or <see cref="ErrorJson"/>.</summary>
    public void Error(string line)
    {
        if (Json)
        {
            Writer.WriteLine(ErrorJson(line));
        }
        else
        {
            Writer.WriteLine(line);
        }
    }
}
