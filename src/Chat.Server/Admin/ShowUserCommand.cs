using System.Globalization;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary><c>show.user ID</c>: everything the server knows about one connected user.</summary>
internal sealed class ShowUserCommand : IOperatorCommand
{
    private readonly ChatHub _hub;

    public ShowUserCommand(ChatHub hub) => _hub = hub;

    public string Name => "show.user";

    public string Usage => "show.user ID [--json]";

    public string Summary => "one connected user in detail";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectAtMost(arguments, 1);
        var session = ConnectedUser.Find(_hub, CommandArguments.WholeNumber(arguments, 0, 1, long.MaxValue, "a user id"));
        output.Show(UserView.Of(session, _hub), static (user, writer) =>
        {
            var table = new TextTable("field", "value");
            table.Add("id", TextTable.Number(user.Id));
            table.Add("address", user.RemoteAddress);
            table.Add("transport", user.Transport);
            table.Add("connected at", user.ConnectedAt.ToString("u", CultureInfo.InvariantCulture));
            table.Add("connected for", Durations.Format(TimeSpan.FromSeconds(user.ConnectedSeconds)));
            table.Add("idle for", Durations.Format(TimeSpan.FromSeconds(user.IdleSeconds)));
            table.Add("messages in", TextTable.Number(user.MessagesIn));
            table.Add("bytes in", TextTable.Number(user.BytesIn));
            table.Add("deliveries", TextTable.Number(user.Deliveries));
            table.Add("frames out", TextTable.Number(user.FramesOut));
            table.Add("bytes out", TextTable.Number(user.BytesOut));
            table.Add("bytes queued", TextTable.Number(user.QueuedBytes));
            table.Add("throttled", user.Throttled ? "yes" : "no");
            table.WriteTo(writer, withHeader: false);
        });
    }
}
