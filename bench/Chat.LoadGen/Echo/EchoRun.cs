using System.Globalization;
using Chat.LoadGen.Links;

namespace Chat.LoadGen.Echo;

/// <summary>
/// The echo mode: C connections, each with P messages of S bytes in flight, every echo checked;
/// messages per second and latency over the measured window. Over RESP the messages are Redis
/// <c>ECHO</c> commands, for the same figures from a Redis server.
/// </summary>
internal static class EchoRun
{
    public static async Task<int> RunAsync(RunSettings settings, int pipeline, int size, bool useTls, bool inBatches, CancellationToken cancellationToken)
    {
        var report = new RunReport("echo");
        var errors = new RunErrors();
        IEchoFormat template = settings.Transport == TransportKind.Resp ? new RespEchoTemplate(size) : new EchoTemplate(size);
        var connections = new EchoConnection[settings.Connections];
        for (var index = 0; index < connections.Length; index++)
        {
            connections[index] = new EchoConnection(template, pipeline, errors, useTls, settings.Transport, inBatches);
        }

        RunReport.Line($"echo: {settings.Connections} connections x {pipeline} in flight{(inBatches ? " (in batches)" : string.Empty)}, {size}-byte msg ({template.Frame.Length}-byte frame), " +
                    $"{settings.Warmup.TotalSeconds} s warm-up, {settings.Duration.TotalSeconds} s measured, {settings.Describe()}{(useTls ? " over TLS" : string.Empty)}");
        try
        {
            await ParallelOpen.RunAsync(
                Enumerable.Range(0, connections.Length),
                TimeSpan.FromSeconds(30),
                (index, token) => new ValueTask(connections[index].ConnectAsync(settings.EndPointFor(index), token)),
                errors,
                cancellationToken);

            var clock = new RunClock(settings.Warmup, settings.Duration);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(clock.UntilDeadline);
            var running = connections.Where(connection => connection.Connected)
                .Select(connection => connection.RunAsync(clock, deadline.Token)).ToList();

            var window = await WindowSamples.TakeAsync(clock, settings, cancellationToken);
            await Task.WhenAll(running);

            var latencies = new LatencyHistogram();
            long measured = 0;
            foreach (var connection in connections)
            {
                latencies.Add(connection.Latencies);
                measured += connection.Measured;
            }

            var rate = measured / settings.Duration.TotalSeconds;
            RunReport.Line($"held: {running.Count} of {settings.Connections} connections");
            RunReport.Line($"messages/s: {RunReport.Format(rate, 0)} ({measured} echoes checked in the window)");
            report.Add("c", settings.Connections.ToString(CultureInfo.InvariantCulture));
            report.Add("p", pipeline.ToString(CultureInfo.InvariantCulture));
            report.Add("s", size.ToString(CultureInfo.InvariantCulture));
            if (inBatches)
            {
                report.Add("batches", "1");
            }

            if (useTls)
            {
                report.Add("tls", "1");
            }

            report.Transport(settings);
            report.Add("rate", rate, 0);
            report.Latency(latencies);
            report.CpuPerOperation("message", window.OperationsAt(rate, measured), window);
            return report.Finish(errors, rate, latencies.ValueAtPercentile(99) / 1000.0, settings);
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }
}
