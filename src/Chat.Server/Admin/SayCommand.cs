using System.Globalization;
using Chat.Cluster.Redis;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary><c>say TEXT</c>: a notice from 0 to every connected user.</summary>
internal sealed class SayCommand : IOperatorCommand
{
    private readonly ChatHub _hub;

    public SayCommand(ChatHub hub) => _hub = hub;

    public string Name => "say";

    public string Usage => "say TEXT";

    public string Summary => "send TEXT to every connected user, as a notice from the server (id 0)";

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        var text = CommandArguments.Rest(arguments, 0);
        if (text.Length == 0)
        {
            throw new CommandException("needs the text to send");
        }

        NoticeText.EnsureFits(text, "the text");
        var reached = _hub.Announce(text);
        if (_hub.Remote is { } remote)
        {
            var sent = remote.Say(text, out var nodes);
            var partial = sent == RemoteSend.Unreachable ? " (partial: the cluster store is unreachable)" : string.Empty;
            output.Confirm(string.Create(CultureInfo.InvariantCulture, $"sent to {reached} users here and to {nodes} other nodes{partial}"),
                new { Reached = reached, Nodes = nodes, Partial = partial.Length > 0 });
            return;
        }

        output.Confirm(string.Create(CultureInfo.InvariantCulture, $"sent to {reached} users"), new { Reached = reached });
    }
}
