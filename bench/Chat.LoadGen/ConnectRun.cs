using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Chat.Protocol;

namespace Chat.LoadGen;

/// <summary>
/// The connect mode: opens C connections, reads each handshake (unless raw), holds them idle and
/// reports the server's resident memory before and after, that is the memory one idle connection costs.
/// </summary>
internal static class ConnectRun
{
    // Time for the server to settle (its allocations for the newcomers done) before memory is read.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(RunSettings settings, bool raw, TimeSpan hold, CancellationToken cancellationToken)
    {
        var report = new RunReport("connect");
        var errors = new RunErrors();
        var sockets = new Socket?[settings.Connections];
        RunReport.Line($"connect: {settings.Connections} idle connections{(raw ? " (raw TCP, no handshake)" : string.Empty)}, held {hold.TotalSeconds} s, {settings.EndPoint}");
        var serverBefore = ProcessSample.TryRead(settings.ServerPid);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ParallelOpen.RunAsync(
                Enumerable.Range(0, settings.Connections),
                TimeSpan.FromSeconds(60),
                async (index, token) =>
                {
                    var socket = Handshakes.CreateSocket();
                    try
                    {
                        await Handshakes.ConnectAsync(socket, settings.EndPoint, raw, new byte[Handshakes.BufferSize], token);
                        sockets[index] = socket;
                    }
                    catch (Exception exception) when (exception is SocketException or HandshakeException or OperationCanceledException or ProtocolViolationException)
                    {
                        errors.Add($"connection {index}: {exception.Message}");
                        socket.Dispose();
                    }
                },
                errors,
                cancellationToken);

            var opened = RunReport.Seconds(Stopwatch.GetTimestamp() - started);
            await Task.Delay(Settle, cancellationToken);
            var serverAfter = ProcessSample.TryRead(settings.ServerPid);
            var remaining = hold - Settle;
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, cancellationToken);
            }

            // An idle connection the server closed reads as readable with nothing to read.
            var held = 0;
            foreach (var socket in sockets)
            {
                if (socket is null)
                {
                    continue;
                }

                if (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)
                {
                    errors.Add("an idle connection was closed by the server");
                }
                else
                {
                    held++;
                }
            }

            RunReport.Line($"held: {held} of {settings.Connections} connections, opened in {RunReport.Format(opened, 2)} s ({RunReport.Format(settings.Connections / opened, 0)}/s)");
            report.Add("c", settings.Connections.ToString(CultureInfo.InvariantCulture));
            report.Add("held", held.ToString(CultureInfo.InvariantCulture));
            if (serverBefore is { } before && serverAfter is { } after)
            {
                var perConnection = held > 0 ? (after.RssKiB - before.RssKiB) * 1024.0 / held : 0;
                RunReport.Line($"server rss: {RunReport.Format(before.RssKiB / 1024.0)} MiB before, {RunReport.Format(after.RssKiB / 1024.0)} MiB after, " +
                            $"{RunReport.Format(perConnection / 1024.0, 2)} KiB per connection");
                report.Add("rss_before_kib", before.RssKiB, 0);
                report.Add("rss_after_kib", after.RssKiB, 0);
                report.Add("bytes_per_conn", perConnection, 0);
                if (held > 0)
                {
                    var cpu = after.CpuMillisecondsSince(before) * 1000 / held;
                    RunReport.Line($"server cpu: {RunReport.Format(cpu, 2)} us per connection opened");
                    report.Add("server_cpu_us", cpu, 2);
                }
            }

            return report.Finish(errors, held, 0, settings);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }
}
