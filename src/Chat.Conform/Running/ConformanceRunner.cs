using System.Diagnostics;

namespace Chat.Conform.Running;

/// <summary>
/// Runs checks one after another, each in its own context and under its own hard deadline, and
/// turns whatever happens into a result: a bad server produces FAIL lines, never a hang or a crash.
/// </summary>
internal static class ConformanceRunner
{
    public static async Task<ConformanceReport> RunAsync(
        ConformSettings settings,
        IReadOnlyList<ConformanceCheck> checks,
        IServerProcess? serverProcess,
        Action<CheckResult>? onResult,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var results = new List<CheckResult>();
        foreach (var check in checks)
        {
            var result = await RunOneAsync(check, settings, serverProcess, results, cancellationToken);
            results.Add(result);
            onResult?.Invoke(result);
        }

        return new ConformanceReport(settings, results, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<CheckResult> RunOneAsync(
        ConformanceCheck check, ConformSettings settings, IServerProcess? serverProcess, List<CheckResult> earlier, CancellationToken cancellationToken)
    {
        // A need that did not run (--only left it out) is no reason to skip; one that ran and did not pass is.
        var unmet = earlier.FirstOrDefault(result => check.Needs.Contains(result.Check.Name) && result.Status != CheckStatus.Passed);
        if (unmet is not null)
        {
            var why = unmet.Status == CheckStatus.Failed ? "failed" : "was skipped";
            return new CheckResult(check, CheckStatus.Skipped, $"needs {unmet.Check.Name}, which {why}", TimeSpan.Zero);
        }

        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(check.MaxDuration);
        var (status, detail) = await PlayAsync(check, settings, serverProcess, deadline.Token, cancellationToken);
        return new CheckResult(check, status, detail, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<(CheckStatus Status, string Detail)> PlayAsync(
        ConformanceCheck check, ConformSettings settings, IServerProcess? serverProcess, CancellationToken deadline, CancellationToken cancellationToken)
    {
        await using var context = new CheckContext(settings, serverProcess);
        try
        {
            await check.RunAsync(context, deadline);
            return (CheckStatus.Passed, string.Empty);
        }
        catch (CheckFailedException failure)
        {
            return (CheckStatus.Failed, failure.Message);
        }
        catch (CheckSkippedException skip)
        {
            return (CheckStatus.Skipped, skip.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (CheckStatus.Failed, $"the check did not finish within {check.MaxDuration.TotalSeconds:0} s: the server " +
                "stopped answering somewhere along the way");
        }
#pragma warning disable CA1031 // The suite must survive any server: whatever escapes a check is that check's failure.
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return (CheckStatus.Failed, $"the check broke off on something it did not expect ({exception.GetType().Name}: {exception.Message})");
        }
    }
}
