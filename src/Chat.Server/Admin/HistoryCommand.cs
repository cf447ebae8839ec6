using System.Globalization;

namespace Chat.Server.Admin;

/// <summary>
/// <c>history [SECONDS]</c>: messages per second and users, one step a second, over the last
/// SECONDS (default and at most 600: ten minutes). The dashboard draws its charts from the JSON;
/// people get one line a minute.
/// </summary>
internal sealed class HistoryCommand : IOperatorCommand
{
    private const int StepsPerRow = 60;
    private readonly TrafficSampler _sampler;

    public HistoryCommand(TrafficSampler sampler) => _sampler = sampler;

    public string Name => "history";

    public string Usage => "history [SECONDS] [--json]";

    public string Summary => "messages per second and users, a step a second, over the last SECONDS (default 600, ten minutes)";

    public bool OnlyReads(IReadOnlyList<string> arguments) => true;

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectAtMost(arguments, 1);
        var seconds = (int)(CommandArguments.OptionalWholeNumber(arguments, 0, 1, TrafficSampler.HistorySeconds) ?? TrafficSampler.HistorySeconds);
        output.Show(_sampler.History(seconds), WriteText);
    }

    // Newest minute first, as people read a log: averages and extremes of each minute.
    private static void WriteText(TrafficHistory history, TextWriter writer)
    {
        var steps = history.MessagesPerSecond.Count;
        if (steps == 0)
        {
            writer.WriteLine("no history yet (one step a second)");
            return;
        }

        var table = new TextTable("window", "msgs/s avg", "msgs/s max", "users min", "users max");
        for (var end = steps; end > 0; end -= StepsPerRow)
        {
            var start = Math.Max(0, end - StepsPerRow);
            var rates = history.MessagesPerSecond.Skip(start).Take(end - start).ToList();
            var users = history.Users.Skip(start).Take(end - start).ToList();
            var ago = (steps - end) / StepsPerRow;
            table.Add(
                string.Create(CultureInfo.InvariantCulture, $"{ago}-{ago + 1}m ago"),
                rates.Average().ToString("0.0", CultureInfo.InvariantCulture),
                rates.Max().ToString("0.0", CultureInfo.InvariantCulture),
                TextTable.Number(users.Min()),
                TextTable.Number(users.Max()));
        }

        table.WriteTo(writer);
    }
}
