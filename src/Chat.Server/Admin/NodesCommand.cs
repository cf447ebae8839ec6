using Chat.Server.Routing;

namespace Chat.Server.Admin;

/// <summary><c>nodes</c>: the cluster's nodes as this one sees them (cluster mode only).</summary>
internal sealed class NodesCommand : IOperatorCommand
{
    private readonly ChatHub _hub;

    public NodesCommand(ChatHub hub) => _hub = hub;

    public string Name => "nodes";

    public string Usage => "nodes [--json]";

    public string Summary => "list the cluster's nodes: name, address, users, last heard from, link state";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectNone(arguments);
        var presence = _hub.Presence ?? throw new CommandException("this server is not in a cluster (start it with --redis)");
        var now = _hub.TimeProvider.GetUtcNow();
        var link = presence.IsLinked ? "linked" : "unreachable";
        var rows = presence.Nodes()
            .Select(node => new NodeRow(node.Name, node.Address, node.Users, Durations.Format(now - node.LastHeard) + " ago", link, Self: false))
            .Prepend(new NodeRow(presence.NodeName, _hub.Cluster?.Address ?? "-", _hub.Registry.Count, "-", link, Self: true))
            .ToList();
        output.Show(rows, static (rows, writer) =>
        {
            var table = new TextTable("NODE", "ADDRESS", "USERS", "LAST HEARD", "LINK");
            foreach (var row in rows)
            {
                table.Add(row.Self ? row.Name + " (this node)" : row.Name, row.Address, TextTable.Number(row.Users), row.LastHeard, row.Link);
            }

            table.WriteTo(writer);
        });
    }

    private sealed record NodeRow(string Name, string Address, int Users, string LastHeard, string Link, bool Self);
}
