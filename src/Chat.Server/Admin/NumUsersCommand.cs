using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary><c>num.users</c>: how many users are connected now (exercise 1).</summary>
internal sealed class NumUsersCommand : IOperatorCommand
{
    private readonly ChatHub _hub;

    public NumUsersCommand(ChatHub hub) => _hub = hub;

    public string Name => "num.users";

    public string Usage => "num.users [--json]";

    public string Summary => "print the number of connected users";

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectNone(arguments);
        output.Show(new { Users = _hub.Registry.Count }, static (data, writer) => writer.WriteLine(data.Users));
    }
}
