using Chat.Conform.Running;

namespace Chat.Conform.Checks;

/// <summary>Every check, in the order they run: the assignment's first, then the contract's; the drain, which stops the server, last.</summary>
internal static class CheckCatalog
{
    public static IReadOnlyList<ConformanceCheck> All { get; } =
    [
        .. HandshakeChecks.All(),
        .. EchoChecks.All(),
        .. FramingChecks.All(),
        .. RefusalChecks.All(),
        .. RoutingChecks.All(),
        .. OrderingChecks.All(),
        .. HostileInputChecks.All(),
        .. FlowControlChecks.All(),
        .. ShutdownChecks.All(),
    ];

    /// <summary>The checks of <paramref name="level"/> (the contract includes the assignment), or just those named.</summary>
    public static IReadOnlyList<ConformanceCheck> Select(CheckLevel level, IReadOnlyList<string> only) =>
        only.Count > 0
            ? [.. All.Where(check => only.Contains(check.Name))]
            : [.. All.Where(check => level == CheckLevel.Contract || check.Level == CheckLevel.Assignment)];

    /// <summary>The names in <paramref name="only"/> that are no check's.</summary>
    public static IReadOnlyList<string> Unknown(IEnumerable<string> only) =>
        [.. only.Where(name => All.All(check => check.Name != name))];
}
