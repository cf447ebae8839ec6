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

    /// <summary>Runs the command; a bad argument throws <see cref="CommandException"/> and changes nothing.</summary>
    void Execute(IReadOnlyList<string> arguments, TextWriter output);
}
