namespace Chat.Conform.Running;

/// <summary>A whole run: the settings, every check's result in the order they ran, and the time it took.</summary>
internal sealed record ConformanceReport(ConformSettings Settings, IReadOnlyList<CheckResult> Results, TimeSpan Duration)
{
    public int Passed => Count(CheckStatus.Passed);

    public int Failed => Count(CheckStatus.Failed);

    public int Skipped => Count(CheckStatus.Skipped);

    /// <summary>The one-line summary: "N passed, N failed", then skips and time.</summary>
    public string Summary => FormattableString.Invariant(
        $"{Passed} passed, {Failed} failed, {Skipped} skipped in {Duration.TotalSeconds:0.0} s");

    private int Count(CheckStatus status) => Results.Count(result => result.Status == status);
}
