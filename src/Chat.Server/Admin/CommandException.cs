namespace Chat.Server.Admin;

/// <summary>An operator command could not run as typed; the message is the one-line answer.</summary>
internal sealed class CommandException : Exception
{
    public CommandException()
    {
    }

    public CommandException(string message)
        : base(message)
    {
    }

    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
