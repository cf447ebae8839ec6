using System.Globalization;
using Chat.Cluster.Redis;
using Chat.Server.Routing;
using Chat.Server.Sessions;

namespace Chat.Server.Admin;

/// <summary>
/// <c>kick ID [reason]</c>: the user gets a notice from 0 with the reason, then the connection
/// closes gracefully and is recorded as <see cref="DisconnectReason.Kicked"/>.
/// </summary>
internal sealed class KickCommand : IOperatorCommand
{
    private readonly ChatHub _hub;

    public KickCommand(ChatHub hub) => _hub = hub;

    public string Name => "kick";

    public string Usage => "kick ID [reason]";

    public string Summary => "disconnect a user, telling them why (a notice from 0)";

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        var id = CommandArguments.WholeNumber(arguments, 0, 1, long.MaxValue, "a user id");
        var reason = CommandArguments.Rest(arguments, 1);
        var notice = reason.Length == 0 ? "you were disconnected by the operator" : $"you were disconnected by the operator: {reason}";
        NoticeText.EnsureFits(notice, "the reason");
        if (!_hub.Registry.TryGet(id, out _) && _hub.Presence?.TryLocate(id, out var node) == true)
        {
            // On another node: that node closes it, as it would for its own operator.
            if (_hub.Remote!.Kick(id, notice) != RemoteSend.Sent)
            {
                throw new CommandException(string.Create(CultureInfo.InvariantCulture, $"user {id} is on node {node}, which cannot be reached now"));
            }

            output.Confirm(string.Create(CultureInfo.InvariantCulture, $"asked node {node} to kick user {id}"), new { Id = id, Kicked = true, Node = node });
            return;
        }

        var session = ConnectedUser.Find(_hub, id);
        session.Close(DisconnectReason.Kicked, notice);
        // The first recorded reason wins: a user already on their way out keeps theirs.
        var kicked = session.CloseReason == DisconnectReason.Kicked;
        output.Confirm(
            kicked
                ? string.Create(CultureInfo.InvariantCulture, $"kicked user {id}")
                : string.Create(CultureInfo.InvariantCulture, $"user {id} was already leaving ({session.CloseReason})"),
            new { Id = id, Kicked = kicked });
    }
}
