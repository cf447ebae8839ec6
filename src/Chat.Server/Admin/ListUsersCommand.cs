using System.Globalization;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>
/// <c>list.users [N] [--local]</c>: the connected users, oldest first, with what each has moved. In
/// cluster mode the users of every node, with a node column; a user on another node shows what that
/// node announced of them, and <c>-</c> for the figures only that node keeps.
/// </summary>
internal sealed class ListUsersCommand : IOperatorCommand
{
    private const int DefaultCount = 100;
    private const string LocalFlag = "--local";
    private readonly ChatHub _hub;

    public ListUsersCommand(ChatHub hub) => _hub = hub;

    public string Name => "list.users";

    public string Usage => "list.users [N] [--local] [--json]";

    public string Summary => "the first N connected users (default 100): address, time connected and idle, traffic, queue (in cluster mode every node's; --local: this node's)";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        var local = arguments.Contains(LocalFlag);
        var rest = arguments.Where(argument => argument != LocalFlag).ToList();
        CommandArguments.ExpectAtMost(rest, 1);
        var count = (int)(CommandArguments.OptionalWholeNumber(rest, 0, 1, 1_000_000) ?? DefaultCount);
        // Views only of the users shown: the dashboard asks every second, and a view of each of
        // 100,000 users to show the first 500 would be made and dropped every time.
        var here = _hub.Registry.Sessions.Where(session => session.Id > 0).ToList();
        var presence = _hub.Presence;
        var there = presence is null || local ? [] : presence.RemoteUsers();
        var shown = here.OrderBy(session => session.Id).Take(count).Select(session => UserView.Of(session, _hub))
            .Concat(there.OrderBy(remote => remote.User.Id).Take(count).Select(remote => UserView.Of(remote, _hub)))
            .OrderBy(user => user.Id)
            .Take(count)
            .ToList();
        var partial = presence is null ? (bool?)null : !presence.IsLinked && !local;
        var list = new UserList(here.Count + there.Count, shown, partial);
        if (presence is null)
        {
            output.Show(list, WriteAlone);
        }
        else
        {
            output.Show(list, WriteCluster);
        }
    }

    // The server alone: no node column, exactly as before cluster mode existed.
    private static void WriteAlone(UserList list, TextWriter writer)
    {
        if (list.Total == 0)
        {
            writer.WriteLine("no users connected");
            return;
        }

        var table = new TextTable("id", "address", "transport", "connected", "idle", "msgs.in", "bytes.in", "frames.out", "bytes.out", "queued", "throttled");
        foreach (var user in list.Users)
        {
            table.Add([TextTable.Number(user.Id), .. Cells(user)]);
        }

        table.WriteTo(writer);
        WriteShown(list, writer);
    }

    private static void WriteCluster(UserList list, TextWriter writer)
    {
        if (list.Total == 0)
        {
            writer.WriteLine("no users connected");
        }
        else
        {
            var table = new TextTable("id", "node", "address", "transport", "connected", "idle", "msgs.in", "bytes.in", "frames.out", "bytes.out", "queued", "throttled");
            foreach (var user in list.Users)
            {
                table.Add([TextTable.Number(user.Id), user.Node ?? "-", .. Cells(user)]);
            }

            table.WriteTo(writer);
            WriteShown(list, writer);
            if (list.Users.Any(user => !user.IsLocal))
            {
                writer.WriteLine("(-: kept by the user's own node; list.users --local there shows it)");
            }
        }

        if (list.Partial == true)
        {
            writer.WriteLine("(partial: the cluster store is unreachable; other nodes' users as last known)");
        }
    }

    private static string[] Cells(UserView user) =>
    [
        user.RemoteAddress,
        user.Transport,
        user.ConnectedSeconds is { } connected ? Durations.Format(TimeSpan.FromSeconds(connected)) : "-",
        user.IdleSeconds is { } idle ? Durations.Format(TimeSpan.FromSeconds(idle)) : "-",
        Number(user.MessagesIn),
        Number(user.BytesIn),
        Number(user.FramesOut),
        Number(user.BytesOut),
        Number(user.QueuedBytes),
        user.Throttled switch { true => "yes", false => "no", null => "-" },
    ];

    private static string Number(long? value) => value is { } number ? TextTable.Number(number) : "-";

    private static void WriteShown(UserList list, TextWriter writer)
    {
        if (list.Users.Count < list.Total)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({list.Users.Count} of {list.Total} users shown)"));
        }
    }
}
