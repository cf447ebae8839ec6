namespace Chat.Server.Admin;

/// <summary><c>shutdown [seconds]</c>: refuse newcomers, tell users, drain, close, exit 0.</summary>
internal sealed class ShutdownCommand : IOperatorCommand
{
    private readonly IServerControl _control;

    public ShutdownCommand(IServerControl control) => _control = control;

    public string Name => "shutdown";

    public string Usage => "shutdown [seconds]";

    public string Summary => "stop gracefully: refuse newcomers, tell users, serve them for the drain time, exit";

    public void Execute(IReadOnlyList<string> arguments, TextWriter output)
    {
        if (arguments.Count > 1)
        {
            throw new CommandException("takes at most one argument");
        }

        var seconds = CommandArguments.OptionalNumber(arguments, 0, 0, 600);
        var drain = _control.RequestShutdown(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value));
        output.WriteLine($"shutting down: serving current users for {drain.TotalSeconds:0.#} s, then closing");
    }
}
