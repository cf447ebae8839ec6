using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary><c>list.users [N]</c>: the connected users, oldest first, with what each has moved.</summary>
internal sealed class ListUsersCommand : IOperatorCommand
{
    private const int DefaultCount = 100;
    private readonly ChatHub _hub;

    public ListUsersCommand(ChatHub hub) => _hub = hub;

    public string Name => "list.users";

    public string Usage => "list.users [N] [--json]";

    public string Summary => "the first N connected users (default 100): address, time connected and idle, traffic, queue";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectAtMost(arguments, 1);
        var count = (int)(CommandArguments.OptionalWholeNumber(arguments, 0, 1, 1_000_000) ?? DefaultCount);
        var sessions = _hub.Registry.Sessions.Where(session => session.Id > 0).OrderBy(session => session.Id).ToList();
        var users = sessions.Take(count).Select(session => UserView.Of(session, _hub)).ToList();
        output.Show(new UserList(sessions.Count, users), static (list, writer) =>
        {
            if (list.Total == 0)
            {
                writer.WriteLine("no users connected");
                return;
            }

            var table = new TextTable("id", "address", "transport", "connected", "idle", "msgs.in", "bytes.in", "frames.out", "bytes.out", "queued", "throttled");
            foreach (var user in list.Users)
            {
                table.Add(
                    TextTable.Number(user.Id),
                    user.RemoteAddress,
                    user.Transport,
                    Durations.Format(TimeSpan.FromSeconds(user.ConnectedSeconds)),
                    Durations.Format(TimeSpan.FromSeconds(user.IdleSeconds)),
                    TextTable.Number(user.MessagesIn),
                    TextTable.Number(user.BytesIn),
                    TextTable.Number(user.FramesOut),
                    TextTable.Number(user.BytesOut),
                    TextTable.Number(user.QueuedBytes),
                    user.Throttled ? "yes" : "no");
            }

            table.WriteTo(writer);
            if (list.Users.Count < list.Total)
            {
                writer.WriteLine($"({list.Users.Count} of {list.Total} users shown)");
            }
        });
    }
}
