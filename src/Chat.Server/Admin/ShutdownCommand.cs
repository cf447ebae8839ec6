using System.Globalization;

namespace Chat.Server.Admin;

/// <summary><c>shutdown [seconds]</c>: refuse newcomers, tell users, drain, close, exit 0.</summary>
internal sealed class ShutdownCommand : IOperatorCommand
{
    private readonly IServerControl _control;

    public ShutdownCommand(IServerControl control) => _control = control;

    public string Name => "shutdown";

    public string Usage => "shutdown [seconds]";

    public string Summary => "stop gracefully: refuse newcomers, tell users, serve them for the drain time, exit";

    public void Execute(IReadOnlyList<string> arguments, CommandOutput output)
    {
        CommandArguments.ExpectAtMost(arguments, 1);
        var seconds = CommandArguments.OptionalNumber(arguments, 0, 0, 600);
        var drain = _control.RequestShutdown(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value));
        output.Confirm(
            string.Create(CultureInfo.InvariantCulture, $"shutting down: serving current users for {drain.TotalSeconds:0.#} s, then closing"),
            new { ShuttingDown = true, DrainSeconds = drain.TotalSeconds });
    }
}
