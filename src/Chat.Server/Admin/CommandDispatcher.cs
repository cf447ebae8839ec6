using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Server.Admin;

/// <summary>
/// Turns one typed line into one command run. Every way in (standard input, the admin socket, the
/// dashboard's HTTP API) goes through here, so all of them behave alike. <c>--json</c> anywhere after the name asks for
/// the reply as one line of JSON.
/// </summary>
internal sealed partial class CommandDispatcher
{
    /// <summary>The word that asks for JSON instead of text.</summary>
    public const string JsonFlag = "--json";

    private const string HelpUsage = "help [command]";
    private readonly Dictionary<string, IOperatorCommand> _commands;
    private readonly ILogger _logger;

    public CommandDispatcher(IEnumerable<IOperatorCommand> commands, ILogger<CommandDispatcher>? logger = null)
    {
        _commands = commands.ToDictionary(command => command.Name, StringComparer.Ordinal);
        _logger = logger ?? NullLogger<CommandDispatcher>.Instance;
    }

    public IEnumerable<IOperatorCommand> Commands => _commands.Values.OrderBy(command => command.Name, StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> (lowercase) names a command, <c>help</c> included.</summary>
    public bool IsCommand(string name) => name == "help" || _commands.ContainsKey(name);

    /// <summary>True when <paramref name="name"/> with <paramref name="arguments"/> only reads (<see cref="IOperatorCommand.OnlyReads"/>).</summary>
    public bool OnlyReads(string name, IReadOnlyList<string> arguments) =>
        name == "help" || (_commands.TryGetValue(name, out var command) && command.OnlyReads(arguments));

    /// <summary>Runs <paramref name="line"/>; false when it was not a valid command (the reply says why).</summary>
    public bool Execute(string line, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(output);
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return true;
        }

        var arguments = words[1..].Where(word => word != JsonFlag).ToArray();
        var reply = new CommandOutput(output, json: arguments.Length < words.Length - 1);
        var name = words[0].ToLowerInvariant();
        if (name == "help")
        {
            return WriteHelp(arguments, reply);
        }

        if (!_commands.TryGetValue(name, out var command))
        {
            reply.Error($"unknown command '{words[0]}'; type 'help' for the list");
            return false;
        }

        try
        {
            command.Execute(arguments, reply);
            return true;
        }
        catch (CommandException exception)
        {
            reply.Error($"{command.Name}: {exception.Message} (usage: {command.Usage})");
            return false;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A fault in one command must not take down the console thread, let alone the server.
            LogCommandFailed(_logger, command.Name, exception);
            reply.Error($"{command.Name}: failed: {exception.Message}");
            return false;
        }
    }

    [LoggerMessage(402, LogLevel.Error, "Operator command {Command} failed", EventName = "CommandFailed")]
    private static partial void LogCommandFailed(ILogger logger, string command, Exception exception);

    private bool WriteHelp(string[] arguments, CommandOutput output)
    {
        if (arguments.Length > 1)
        {
            output.Error($"help: takes at most one argument (usage: {HelpUsage})");
            return false;
        }

        var entries = Commands.Select(command => new HelpEntry(command.Name, command.Usage, command.Summary))
            .Prepend(new HelpEntry("help", HelpUsage, "list the commands, or explain one"))
            .ToList();
        if (arguments.Length == 1)
        {
            var topic = arguments[0].ToLowerInvariant();
            var entry = entries.Find(entry => entry.Name == topic);
            if (entry is null)
            {
                output.Error($"unknown command '{arguments[0]}'; type 'help' for the list");
                return false;
            }

            entries = [entry];
        }

        output.Show(entries, static (entries, writer) =>
        {
            var width = entries.Max(entry => entry.Usage.Length);
            foreach (var entry in entries)
            {
                writer.WriteLine($"{entry.Usage.PadRight(width)}  {entry.Summary}");
            }
        });
        return true;
    }

    private sealed record HelpEntry(string Name, string Usage, string Summary);
}
