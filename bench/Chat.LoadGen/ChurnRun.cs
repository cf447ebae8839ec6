using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Chat.Protocol;

namespace Chat.LoadGen;

/// <summary>
/// The churn mode: C workers, each in a loop of connect, handshake, close; handshakes per second
/// and the latency from the start of the connect to the handshake in hand.
/// </summary>
internal static class ChurnRun
{
    public static async Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        var report = new RunReport("churn");
        var errors = new RunErrors();
        RunReport.Line($"churn: {settings.Connections} parallel connect-handshake-close loops, {settings.Warmup.TotalSeconds} s warm-up, " +
                    $"{settings.Duration.TotalSeconds} s measured, {settings.EndPoint}");
        var clock = new RunClock(settings.Warmup, settings.Duration);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(clock.UntilDeadline);
        var workers = Enumerable.Range(0, settings.Connections)
            .Select(_ => Task.Run(() => LoopAsync(settings, clock, errors, deadline.Token), cancellationToken)).ToList();
        var window = await WindowSamples.TakeAsync(clock, settings.ServerPid, cancellationToken);
        var results = await Task.WhenAll(workers);

        var latencies = new LatencyHistogram();
        foreach (var result in results)
        {
            latencies.Add(result);
        }

        var rate = latencies.Count / settings.Duration.TotalSeconds;
        RunReport.Line($"handshakes/s: {RunReport.Format(rate, 0)} ({latencies.Count} in the window)");
        report.Add("c", settings.Connections.ToString(CultureInfo.InvariantCulture));
        report.Add("rate", rate, 0);
        report.Latency(latencies);
        report.CpuPerOperation("handshake", window.OperationsAt(rate, latencies.Count), window);
        return report.Finish(errors, rate, latencies.ValueAtPercentile(99) / 1000.0, settings);
    }

    private static async Task<LatencyHistogram> LoopAsync(RunSettings settings, RunClock clock, RunErrors errors, CancellationToken cancellationToken)
    {
        var latencies = new LatencyHistogram();
        var buffer = new byte[Handshakes.BufferSize];
        while (Stopwatch.GetTimestamp() < clock.MeasureEnd)
        {
            var started = Stopwatch.GetTimestamp();
            using var socket = Handshakes.CreateSocket();
            try
            {
                await Handshakes.ConnectAsync(socket, settings.EndPoint, raw: false, buffer, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                errors.Add("a handshake was still outstanding at the deadline");
                break;
            }
            catch (Exception exception) when (exception is SocketException or HandshakeException or ProtocolViolationException)
            {
                errors.Add(exception.Message);
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            if (clock.IsMeasured(now))
            {
                latencies.Record((long)RunClock.ToNanoseconds(now - started));
            }
        }

        return latencies;
    }
}
