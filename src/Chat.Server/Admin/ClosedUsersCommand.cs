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

    public string Usage => "closed.users [N] [--json]";

    public string Summary => "the last N closed connections (default 20): id, address, duration, messages, reason";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectAtMost(arguments, 1);
        var count = (int)(CommandArguments.OptionalWholeNumber(arguments, 0, 1, 100_000) ?? DefaultCount);
        var entries = _hub.ClosedConnections.Latest(count)
            .Select(entry => new ClosedUserView(
                entry.Id,
                entry.RemoteEndPoint,
                entry.ConnectedAt,
                entry.Duration.TotalSeconds,
                entry.MessagesIn,
                entry.FramesOut,
                entry.Reason.ToString(),
                entry.Detail))
            .ToList();
        output.Show(entries, static (entries, writer) =>
        {
            if (entries.Count == 0)
            {
                writer.WriteLine("no closed connections yet");
                return;
            }

            var table = new TextTable("id", "address", "connected", "msgs.in", "frames.out", "reason", "detail");
            foreach (var entry in entries)
            {
                table.Add(
                    entry.Id.ToString(CultureInfo.InvariantCulture),
                    entry.RemoteAddress,
                    Durations.Format(TimeSpan.FromSeconds(entry.ConnectedSeconds)),
                    entry.MessagesIn.ToString(CultureInfo.InvariantCulture),
                    entry.FramesOut.ToString(CultureInfo.InvariantCulture),
                    entry.Reason,
                    entry.Detail ?? string.Empty);
            }

            table.WriteTo(writer);
        });
    }
}
