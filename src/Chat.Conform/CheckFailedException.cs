namespace Chat.Conform;

/// <summary>
/// A check saw the server break its rule. The message is what the student reads: what was sent,
/// what came back (or did not), and what the protocol expects instead.
/// </summary>
internal sealed class CheckFailedException : Exception
{
    public CheckFailedException()
    {
    }

    public CheckFailedException(string message)
        : base(message)
    {
    }

    public CheckFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
