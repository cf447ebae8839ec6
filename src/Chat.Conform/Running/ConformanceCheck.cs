namespace Chat.Conform.Running;

/// <summary>
/// One named check: the rule it tests (a section of docs/PROTOCOL.md), a one-line description, and
/// the code that plays it against the server. The code throws <see cref="CheckFailedException"/>
/// with what it saw, or <see cref="CheckSkippedException"/> when it cannot run as invoked.
/// </summary>
internal sealed record ConformanceCheck(
    string Name,
    CheckLevel Level,
    ProtocolSection Rule,
    string Description,
    Func<CheckContext, CancellationToken, Task> RunAsync)
{
    /// <summary>Checks that must have passed first; when one failed, this one is skipped instead of failing for the same reason.</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>A hard bound on the whole check, whatever the server does (each wait inside has its own, shorter one).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(30);
}
