using System.Globalization;
using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary><c>closed.users [N]</c>: the last closed connections and why each one ended.</summary>
internal sealed class ClosedUsersCommand : IOperatorCommand
{
    private const int DefaultCount = 20;
    private readonly ChatHub _hub;

    public ClosedUsersCommand(ChatHub hub) => _hub = hub;

    public string Name => "closed.users";

    public string Usage => "closed.users [N]";

    public string Summary => "the last N closed connections (default 20): id, address, duration, messages, reason";

    public void Execute(IReadOnlyList<string> arguments, TextWriter output)
    {
        if (arguments.Count > 1)
        {
            throw new CommandException("takes at most one argument");
        }

        var count = (int)(CommandArguments.OptionalNumber(arguments, 0, 1, 100_000) ?? DefaultCount);
        var entries = _hub.ClosedConnections.Latest(count);
        if (entries.Count == 0)
        {
            output.WriteLine("no closed connections yet");
            return;
        }

        var table = new TextTable("id", "address", "connected", "msgs.in", "frames.out", "reason", "detail");
        foreach (var entry in entries)
        {
            table.Add(
                entry.Id.ToString(CultureInfo.InvariantCulture),
                entry.RemoteEndPoint,
                Durations.Format(entry.Duration),
                entry.MessagesIn.ToString(CultureInfo.InvariantCulture),
                entry.FramesOut.ToString(CultureInfo.InvariantCulture),
                entry.Reason.ToString(),
                entry.Detail ?? string.Empty);
        }

        table.WriteTo(output);
    }
}
