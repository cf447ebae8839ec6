namespace Chat.Server.Admin;

/// <summary>One operator command, such as <c>num.users</c>. Commands call the hub, never sockets.</summary>
internal interface IOperatorCommand
{
    /// <summary>The lowercase dotted word the operator types.</summary>
    string Name { get; }

    /// <summary>How to call it, for <c>help</c>: the name and its arguments.</summary>
    string Usage { get; }

    /// <summary>One line that says what it does.</summary>
    string Summary { get; }

    /// <summary>
    /// Runs the command with the words after its name (<c>--json</c> already taken out). A bad
    /// argument throws <see cref="CommandException"/> before anything changes.
    /// </summary>
    void Execute(IReadOnlyList<string> arguments, CommandOutput output);

    /// <summary>
    /// True when running it with <paramref name="arguments"/> only reads, so that the HTTP API may
    /// run it on a GET. False (the default) for every action: those take a POST.
    /// </summary>
    bool OnlyReads(IReadOnlyList<string> arguments) => false;
}
