namespace Chat.LoadGen;

/// <summary>Opens many connections a bounded number at a time, within a time limit.</summary>
internal static class ParallelOpen
{
    // Connections opened at once; Kestrel's accept backlog is 512.
    private const int Parallelism = 64;

    /// <summary>Runs <paramref name="open"/> for every item; past <paramref name="timeout"/> the rest count as one error.</summary>
    public static async Task RunAsync<T>(IEnumerable<T> items, TimeSpan timeout, Func<T, CancellationToken, ValueTask> open, RunErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = limit.Token }, open);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add($"opening the connections took over {timeout.TotalSeconds} s");
        }
    }
}
