using System.Globalization;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary>
/// <c>show.user ID</c>: everything the server knows about one connected user. In cluster mode the
/// user may be on any node; for one on another node, what that node announced, and where to ask
/// for the rest.
/// </summary>
internal sealed class ShowUserCommand : IOperatorCommand
{
    private readonly ChatHub _hub;

    public ShowUserCommand(ChatHub hub) => _hub = hub;

    public string Name => "show.user";

    public string Usage => "show.user ID [--json]";

    public string Summary => "one connected user in detail (in cluster mode on any node)";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectAtMost(arguments, 1);
        var id = CommandArguments.WholeNumber(arguments, 0, 1, long.MaxValue, "a user id");
        var user = _hub.Registry.TryGet(id, out var session)
            ? UserView.Of(session, _hub)
            : _hub.Presence is { } presence && presence.TryFind(id, out var remote)
                ? UserView.Of(remote, _hub)
                : UserView.Of(ConnectedUser.Find(_hub, id), _hub);
        output.Show(user, static (user, writer) =>
        {
            var table = new TextTable("field", "value");
            table.Add("id", TextTable.Number(user.Id));
            if (user.Node is { } node)
            {
                table.Add("node", user.IsLocal ? node + " (this node)" : node);
            }

            table.Add("address", user.RemoteAddress);
            table.Add("transport", user.Transport);
            table.Add("connected at", user.ConnectedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
            table.Add("connected for", user.ConnectedSeconds is { } connected ? Durations.Format(TimeSpan.FromSeconds(connected)) : "-");
            if (user.IsLocal)
            {
                table.Add("idle for", Durations.Format(TimeSpan.FromSeconds(user.IdleSeconds!.Value)));
                table.Add("messages in", TextTable.Number(user.MessagesIn!.Value));
                table.Add("bytes in", TextTable.Number(user.BytesIn!.Value));
                table.Add("deliveries", TextTable.Number(user.Deliveries!.Value));
                table.Add("frames out", TextTable.Number(user.FramesOut!.Value));
                table.Add("bytes out", TextTable.Number(user.BytesOut!.Value));
                table.Add("bytes queued", TextTable.Number(user.QueuedBytes!.Value));
                table.Add("throttled", user.Throttled == true ? "yes" : "no");
            }

            table.WriteTo(writer, withHeader: false);
            if (!user.IsLocal)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"(traffic, idle time and queue are kept by node {user.Node}: show.user {user.Id} there)"));
            }
        });
    }
}
