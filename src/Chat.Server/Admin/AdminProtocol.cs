namespace Chat.Server.Admin;

/// <summary>
/// The remote console's line protocol over the admin socket (docs/OPERATIONS.md, "Remote console").
/// The client sends one command line in UTF-8 ending in <c>\n</c> (<c>\r\n</c> is accepted). The
/// server runs it through the same dispatcher as standard input and answers with the reply's lines,
/// then one terminator line: a NUL character and <c>ok</c> or <c>error</c>. A reply never contains
/// NUL, so the terminator cannot be mistaken for part of it. One connection may send many commands;
/// each gets its reply and terminator in order.
/// </summary>
internal static class AdminProtocol
{
    /// <summary>The terminator after a reply to a command that ran.</summary>
    public const string Success = "\0ok";

    /// <summary>The terminator after a reply to a command that failed (unknown, bad argument).</summary>
    public const string Failure = "\0error";

    /// <summary>Longest command line the server reads, in bytes without its ending; past it, it answers with an error and closes.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>True for either terminator line.</summary>
    public static bool IsTerminator(string line) => line.StartsWith('\0');
}
