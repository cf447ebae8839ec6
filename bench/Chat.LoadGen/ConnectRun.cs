using System.Diagnostics;
using System.Globalization;
using Chat.LoadGen.Links;

namespace Chat.LoadGen;

/// <summary>
/// The connect mode: opens C connections, reads each handshake (unless raw), holds them idle and
/// reports the server's resident memory before and after, that is the memory one idle connection costs.
/// Over WebSocket each connection is an upgraded HTTP connection at <c>/ws</c>; with several servers
/// the connections are spread over them and the memory is theirs together.
/// </summary>
internal static class ConnectRun
{
    // Time for the server to settle (its allocations for the newcomers done) before memory is read.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(RunSettings settings, bool raw, TimeSpan hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new RunReport("connect");
        var errors = new RunErrors();
        var links = new ClientLink?[settings.Connections];
        RunReport.Line($"connect: {settings.Connections} idle connections{(raw ? " (raw TCP, no handshake)" : string.Empty)}, held {hold.TotalSeconds} s, {settings.Describe()}");
        var serverBefore = ProcessSamples.Take(settings);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ParallelOpen.RunAsync(
                Enumerable.Range(0, settings.Connections),
                TimeSpan.FromSeconds(60),
                async (index, token) =>
                {
                    var link = ClientLink.Create(settings.Transport);
                    try
                    {
                        if (raw)
                        {
                            await ((TcpLink)link).ConnectRawAsync(settings.EndPointFor(index), token);
                        }
                        else
                        {
                            await link.ConnectAsync(settings.EndPointFor(index), new byte[Handshakes.BufferSize], token);
                        }

                        link.WatchIdle();
                        links[index] = link;
                    }
                    catch (Exception exception) when (ConnectErrors.IsConnectFailure(exception))
                    {
                        errors.Add($"connection {index}: {exception.Message}");
                        link.Dispose();
                    }
                },
                errors,
                cancellationToken);

            var opened = RunReport.Seconds(Stopwatch.GetTimestamp() - started);
            await Task.Delay(Settle, cancellationToken);
            var serverAfter = ProcessSamples.Take(settings);
            var remaining = hold - Settle;
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, cancellationToken);
            }

            var held = 0;
            foreach (var link in links)
            {
                if (link is null)
                {
                    continue;
                }

                if (link.IdleEnded)
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
            report.Transport(settings);
            report.Add("held", held.ToString(CultureInfo.InvariantCulture));
            if (serverBefore.HasServers && serverAfter.HasServers)
            {
                var (before, after) = (serverBefore.ServerRssKiB, serverAfter.ServerRssKiB);
                var perConnection = held > 0 ? (after - before) * 1024.0 / held : 0;
                RunReport.Line($"server rss: {RunReport.Format(before / 1024.0)} MiB before, {RunReport.Format(after / 1024.0)} MiB after, " +
                            $"{RunReport.Format(perConnection / 1024.0, 2)} KiB per connection");
                report.Add("rss_before_kib", before, 0);
                report.Add("rss_after_kib", after, 0);
                report.Add("bytes_per_conn", perConnection, 0);
                if (held > 0)
                {
                    var cpu = serverAfter.ServerCpuMillisecondsSince(serverBefore) * 1000 / held;
                    RunReport.Line($"server cpu: {RunReport.Format(cpu, 2)} us per connection opened");
                    report.Add("server_cpu_us", cpu, 2);
                }
            }

            return report.Finish(errors, held, 0, settings);
        }
        finally
        {
            foreach (var link in links)
            {
                link?.Dispose();
            }
        }
    }
}
