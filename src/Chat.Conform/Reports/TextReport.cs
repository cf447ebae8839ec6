using Chat.Conform.Running;

namespace Chat.Conform.Reports;

/// <summary>The console report: a header, one line per check as it finishes, then the summary.</summary>
internal sealed class TextReport
{
    private readonly TextWriter _output;
    private readonly int _nameWidth;

    public TextReport(TextWriter output, IReadOnlyList<ConformanceCheck> checks)
    {
        _output = output;
        _nameWidth = checks.Count == 0 ? 0 : checks.Max(check => check.Name.Length);
    }

    public void WriteHeader(ConformSettings settings, int checkCount) =>
        _output.WriteLine($"chat-conform: {settings.Target}, level {StatusWords.LevelName(settings.Level)}, {checkCount} checks");

    /// <summary>PASS with the check's description; FAIL and SKIP with why.</summary>
    public void Write(CheckResult result)
    {
        var text = result.Status == CheckStatus.Passed ? result.Check.Description : result.Detail;
        _output.WriteLine($"{StatusWords.Of(result.Status)}  {result.Check.Name.PadRight(_nameWidth)}  {text}");
        _output.Flush();
    }

    public void WriteSummary(ConformanceReport report) => _output.WriteLine(report.Summary);
}
