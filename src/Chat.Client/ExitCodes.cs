namespace Chat.Client.Console;

/// <summary>
/// How the console client ends, as the README's table says; the Python client ends the same way.
/// Ctrl+C ends it with 130, as usual for a program stopped by SIGINT.
/// </summary>
internal static class ExitCodes
{
    /// <summary>You left (end of input or <c>/quit</c>) and every line you sent came back as its echo.</summary>
    public const int Ok = 0;

    /// <summary>The server refused the connection in its handshake.</summary>
    public const int Refused = 1;

    /// <summary>The command line cannot be used: an unknown option, or a value out of range.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The conversation failed: no connection, no handshake in time, the server broke the protocol,
    /// the connection was lost, or lines you sent were never echoed.
    /// </summary>
    public const int ConnectionProblem = 3;
}
