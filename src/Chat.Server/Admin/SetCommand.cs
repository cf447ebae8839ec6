using System.Globalization;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>
/// <c>set NAME VALUE</c>: changes a limit while the server runs, for the next handshake on; users
/// already connected stay. <c>set</c> alone lists the limits and their values. A bad name or
/// value changes nothing.
/// </summary>
internal sealed class SetCommand : IOperatorCommand
{
    private readonly ChatHub _hub;
    private readonly Setting[] _settings;

    public SetCommand(ChatHub hub)
    {
        _hub = hub;
        _settings =
        [
            new("max.users", "connected users at most", 1, 10_000_000, () => _hub.MaxUsers, value => _hub.MaxUsers = value),
            new("max.per.address", "users from one address at most, 0 for no limit", 0, 10_000_000,
                () => _hub.MaxConnectionsPerAddress, value => _hub.MaxConnectionsPerAddress = value),
        ];
    }

    public string Name => "set";

    public string Usage => "set [NAME VALUE] [--json]";

    public string Summary => "change a limit at run time (max.users, max.per.address); alone, list them";

    public bool OnlyReads(IReadOnlyList<string> arguments) => arguments.Count == 0;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        if (arguments.Count == 0)
        {
            var values = _settings.Select(setting => new SettingView(setting.Name, setting.Get(), setting.Min, setting.Max, setting.Description)).ToList();
            output.Show(values, static (values, writer) =>
            {
                var table = new TextTable("name", "value", "allowed", "meaning");
                foreach (var value in values)
                {
                    table.Add(value.Name, TextTable.Number(value.Value), string.Create(CultureInfo.InvariantCulture, $"{value.Min}..{value.Max}"), value.Description);
                }

                table.WriteTo(writer);
            });
            return;
        }

        if (arguments.Count != 2)
        {
            throw new CommandException("needs a name and a value");
        }

        var name = arguments[0].ToLowerInvariant();
        var target = Array.Find(_settings, setting => setting.Name == name)
            ?? throw new CommandException($"'{arguments[0]}' is not a setting; one of {string.Join(", ", _settings.Select(setting => setting.Name))}");
        var value = (int)CommandArguments.WholeNumber(arguments, 1, target.Min, target.Max, "a value");
        var before = target.Get();
        target.Set(value);
        output.Confirm(
            string.Create(CultureInfo.InvariantCulture, $"{target.Name}: {before} -> {value} (from the next handshake on)"),
            new { target.Name, Before = before, Value = value });
    }

    private sealed record Setting(string Name, string Description, int Min, int Max, Func<int> Get, Action<int> Set);

    private sealed record SettingView(string Name, int Value, int Min, int Max, string Description);
}
