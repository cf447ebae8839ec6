using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using Chat.LoadGen.Links;
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
        ArgumentNullException.ThrowIfNull(settings);
        var report = new RunReport("churn");
        var errors = new RunErrors();
        RunReport.Line($"churn: {settings.Connections} parallel connect-handshake-close loops, {settings.Warmup.TotalSeconds} s warm-up, " +
                    $"{settings.Duration.TotalSeconds} s measured, {settings.Describe()}");
        var clock = new RunClock(settings.Warmup, settings.Duration);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(clock.UntilDeadline);
        var workers = Enumerable.Range(0, settings.Connections)
            .Select(index => Task.Run(() => LoopAsync(settings, settings.EndPointFor(index), clock, errors, deadline.Token), cancellationToken)).ToList();
        var window = await WindowSamples.TakeAsync(clock, settings, cancellationToken);
        var results = await Task.WhenAll(workers);

        var latencies = new LatencyHistogram();
        foreach (var result in results)
        {
            latencies.Add(result);
        }

        var rate = latencies.Count / settings.Duration.TotalSeconds;
        RunReport.Line($"handshakes/s: {RunReport.Format(rate, 0)} ({latencies.Count} in the window)");
        report.Add("c", settings.Connections.ToString(CultureInfo.InvariantCulture));
        report.Transport(settings);
        report.Add("rate", rate, 0);
        report.Latency(latencies);
        report.CpuPerOperation("handshake", window.OperationsAt(rate, latencies.Count), window);
        return report.Finish(errors, rate, latencies.ValueAtPercentile(99) / 1000.0, settings);
    }

    private static async Task<LatencyHistogram> LoopAsync(RunSettings settings, System.Net.IPEndPoint endPoint, RunClock clock, RunErrors errors, CancellationToken cancellationToken)
    {
        var latencies = new LatencyHistogram();
        var buffer = new byte[Handshakes.BufferSize];
        while (Stopwatch.GetTimestamp() < clock.MeasureEnd)
        {
            var started = Stopwatch.GetTimestamp();
            // Over TCP the close is the socket's; a WebSocket client says goodbye with a close frame first.
            using var link = ClientLink.Create(settings.Transport);
            try
            {
                await link.ConnectAsync(endPoint, buffer, cancellationToken);
                var connected = Stopwatch.GetTimestamp();
                if (clock.IsMeasured(connected))
                {
                    latencies.Record((long)RunClock.ToNanoseconds(connected - started));
                }

                await link.CloseAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                errors.Add("a handshake was still outstanding at the deadline");
                break;
            }
            catch (Exception exception) when (exception is SocketException or HandshakeException or ProtocolViolationException or WebSocketException or IOException)
            {
                errors.Add(exception.Message);
                continue;
            }
        }

        return latencies;
    }
}
