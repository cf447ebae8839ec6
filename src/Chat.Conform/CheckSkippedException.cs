namespace Chat.Conform;

/// <summary>A check cannot run against this server as invoked (an option it needs is missing); the message says why.</summary>
internal sealed class CheckSkippedException : Exception
{
    public CheckSkippedException()
    {
    }

    public CheckSkippedException(string message)
        : base(message)
    {
    }

    public CheckSkippedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
