namespace Chat.Server.Admin;

/// <summary>
/// Turns one typed line into one command run. Every way in (standard input, later the admin socket)
/// goes through here, so all of them behave alike.
/// </summary>
internal sealed class CommandDispatcher
{
    private readonly Dictionary<string, IOperatorCommand> _commands;

    public CommandDispatcher(IEnumerable<IOperatorCommand> commands)
    {
        _commands = commands.ToDictionary(command => command.Name, StringComparer.Ordinal);
    }

    public IEnumerable<IOperatorCommand> Commands => _commands.Values.OrderBy(command => command.Name, StringComparer.Ordinal);

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

        var name = words[0].ToLowerInvariant();
        if (name == "help")
        {
            WriteHelp(words.Skip(1).FirstOrDefault(), output);
            return true;
        }

        if (!_commands.TryGetValue(name, out var command))
        {
            output.WriteLine($"unknown command '{words[0]}'; type 'help' for the list");
            return false;
        }

        try
        {
            command.Execute(words[1..], output);
            return true;
        }
        catch (CommandException exception)
        {
            output.WriteLine($"{command.Name}: {exception.Message} (usage: {command.Usage})");
            return false;
        }
    }

    private void WriteHelp(string? topic, TextWriter output)
    {
        if (topic is not null)
        {
            if (_commands.TryGetValue(topic.ToLowerInvariant(), out var command))
            {
                output.WriteLine($"{command.Usage}  {command.Summary}");
            }
            else
            {
                output.WriteLine($"unknown command '{topic}'; type 'help' for the list");
            }

            return;
        }

        var width = Commands.Select(command => command.Usage.Length).Append("help [command]".Length).Max();
        output.WriteLine($"{"help [command]".PadRight(width)}  list the commands, or explain one");
        foreach (var command in Commands)
        {
            output.WriteLine($"{command.Usage.PadRight(width)}  {command.Summary}");
        }
    }
}
