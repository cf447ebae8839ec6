using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Chat.LoadGen;

/// <summary>
/// Prints a run's figures for people, then one <c>result key=value ...</c> line for scripts, and turns
/// errors and a missed budget into the exit code (0 ok, 1 errors, 3 budget missed).
/// </summary>
internal sealed class RunReport
{
    public const int Success = 0;
    public const int Errors = 1;
    public const int BudgetMissed = 3;

    private readonly StringBuilder _result = new("result");

    public RunReport(string mode) => Add("mode", mode);

    public static void Line(string text) => Console.WriteLine(text);

    public void Add(string key, string value) => _result.Append(' ').Append(key).Append('=').Append(value);

    public void Add(string key, double value, int decimals = 1) =>
        Add(key, value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    public static string Format(double value, int decimals = 1) =>
        value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The transport and the number of servers, when they are not the defaults (TCP, one server).</summary>
    public void Transport(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Transport != Links.TransportKind.Tcp)
        {
            Add("transport", Links.TransportNames.Name(settings.Transport));
        }

        if (settings.EndPoints.Count > 1)
        {
            Add("servers", settings.EndPoints.Count.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Latency percentiles in microseconds: p50, p90, p99, p99.9 and max.</summary>
    public void Latency(LatencyHistogram histogram)
    {
        double Microseconds(double percentile) => histogram.ValueAtPercentile(percentile) / 1000.0;
        var max = histogram.Max / 1000.0;
        Line($"latency (us): p50 {Format(Microseconds(50))}  p90 {Format(Microseconds(90))}  p99 {Format(Microseconds(99))}  " +
             $"p99.9 {Format(Microseconds(99.9))}  max {Format(max)}  ({histogram.Count} samples)");
        Add("p50_us", Microseconds(50));
        Add("p90_us", Microseconds(90));
        Add("p99_us", Microseconds(99));
        Add("p999_us", Microseconds(99.9));
        Add("max_us", max);
    }

    /// <summary>
    /// CPU time per operation of the servers (when their pids were given: together, and each node's
    /// when there are several), of Redis (when its pid was given) and of this generator.
    /// </summary>
    public void CpuPerOperation(string operation, long operations, WindowSamples window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (operations <= 0)
        {
            return;
        }

        var (before, after) = (window.Before, window.After);
        if (before.HasServers && after.HasServers)
        {
            var total = after.ServerCpuMillisecondsSince(before);
            var perOperation = total * 1000 / operations;
            var nodes = after.Servers.Count > 1 ? $" ({after.Servers.Count} servers together)" : string.Empty;
            Line($"server cpu: {Format(total, 0)} ms in the window, {Format(perOperation, 2)} us per {operation}{nodes}; rss {Format(after.ServerRssKiB / 1024.0)} MiB");
            Add("server_cpu_us", perOperation, 2);
            Add("server_rss_kib", after.ServerRssKiB, 0);
            if (after.Servers.Count > 1)
            {
                for (var index = 0; index < after.Servers.Count; index++)
                {
                    var node = after.Servers[index]!.Value.CpuMillisecondsSince(before.Servers[index]!.Value) * 1000 / operations;
                    Line($"  server {index + 1}: {Format(node, 2)} us per {operation}");
                    Add($"server{index + 1}_cpu_us", node, 2);
                }
            }
        }

        if (before.Redis is { } rb && after.Redis is { } ra)
        {
            var perOperation = ra.CpuMillisecondsSince(rb) * 1000 / operations;
            Line($"redis cpu: {Format(ra.CpuMillisecondsSince(rb), 0)} ms in the window, {Format(perOperation, 2)} us per {operation}");
            Add("redis_cpu_us", perOperation, 2);
        }

        if (before.Self is { } cb && after.Self is { } ca)
        {
            var perOperation = ca.CpuMillisecondsSince(cb) * 1000 / operations;
            Line($"generator cpu: {Format(perOperation, 2)} us per {operation}");
            Add("client_cpu_us", perOperation, 2);
        }
    }

    /// <summary>Prints the errors and the result line; returns the exit code.</summary>
    public int Finish(RunErrors errors, double rate, double p99Microseconds, RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(settings);
        Line($"errors: {errors.Count}");
        foreach (var message in errors.FirstMessages)
        {
            Line($"  {message}");
        }

        Add("errors", errors.Count.ToString(CultureInfo.InvariantCulture));
        var missed = new List<string>();
        if (settings.MinRate is { } minRate && rate < minRate)
        {
            missed.Add($"rate {Format(rate, 0)}/s under the budget of {Format(minRate, 0)}/s");
        }

        if (settings.MaxP99Microseconds is { } maxP99 && p99Microseconds > maxP99)
        {
            missed.Add($"p99 {Format(p99Microseconds)} us over the budget of {Format(maxP99)} us");
        }

        foreach (var miss in missed)
        {
            Line($"budget missed: {miss}");
        }

        Line(_result.ToString());
        return errors.Count > 0 ? Errors : missed.Count > 0 ? BudgetMissed : Success;
    }

    public static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;
}
