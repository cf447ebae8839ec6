using System.Globalization;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>
/// <c>num.users [--local]</c>: how many users are connected now (exercise 1). In cluster mode the
/// count is the cluster's, from this node's directory; it says "partial" while Redis is unreachable.
/// </summary>
internal sealed class NumUsersCommand : IOperatorCommand
{
    private const string LocalFlag = "--local";
    private readonly ChatHub _hub;

    public NumUsersCommand(ChatHub hub) => _hub = hub;

    public string Name => "num.users";

    public string Usage => "num.users [--local] [--json]";

    public string Summary => "print the number of connected users (in cluster mode the cluster's; --local: this node's)";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        var local = arguments.Count == 1 && arguments[0] == LocalFlag;
        if (!local)
        {
            CommandArguments.ExpectNone(arguments);
        }

        var here = _hub.Registry.Count;
        if (_hub.Presence is not { } presence || local)
        {
            output.Show(new { Users = here }, static (data, writer) => writer.WriteLine(data.Users));
            return;
        }

        var partial = !presence.IsLinked;
        output.Show(new { Users = here + presence.RemoteUserCount, Local = here, Partial = partial }, static (data, writer) =>
            writer.WriteLine(data.Partial
                ? string.Create(CultureInfo.InvariantCulture, $"{data.Users} (partial: the cluster store is unreachable; {data.Local} here)")
                : data.Users.ToString(CultureInfo.InvariantCulture)));
    }
}
