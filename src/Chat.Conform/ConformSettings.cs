using System.Net;

namespace Chat.Conform;

/// <summary>One run of the suite, as the command line asked for it.</summary>
/// <param name="Target">The host and port as the user wrote them, for the report.</param>
/// <param name="EndPoint">Where the server listens, resolved once.</param>
/// <param name="Level">The checks to run: the assignment's, or the whole contract's.</param>
/// <param name="Only">When not empty, just these checks, by name.</param>
/// <param name="MaxUsers">The server's user limit, to provoke a refusal; null skips the refusal checks.</param>
/// <param name="ServerPid">The server's process, to stop it gracefully; null skips the drain check.</param>
/// <param name="Timeout">How long a reply may take before a check calls it missing.</param>
/// <param name="MaxFrameLength">The server's maximum body length (PROTOCOL.md: 65,536 unless its operator changed it).</param>
internal sealed record ConformSettings(
    string Target,
    IPEndPoint EndPoint,
    CheckLevel Level,
    IReadOnlyList<string> Only,
    int? MaxUsers,
    int? ServerPid,
    TimeSpan Timeout,
    int MaxFrameLength)
{
    /// <summary>The default reply deadline: generous for a loopback server, short enough that a silent one fails fast.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Settings for a server on <paramref name="endPoint"/>, every option at its default.</summary>
    public static ConformSettings For(IPEndPoint endPoint) =>
        new(endPoint.ToString(), endPoint, CheckLevel.Contract, [], null, null, DefaultTimeout, Chat.Protocol.FrameLimits.DefaultMaxBodyLength);
}
