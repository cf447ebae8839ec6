using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace Chat.LoadGen.Soak;

/// <summary>
/// <c>chat-bench soak</c>: keeps C clients connected for the duration, each sending at its share of the
/// rate and replaced when it leaves, while the admin socket is polled; prints a sample line every interval
/// and one result line, and exits 1 on any violation.
/// </summary>
internal static class SoakRun
{
    public const int Success = 0;
    public const int Violated = 1;

    // Joins at the start are spread over this much time (or a quarter of the run), not one burst.
    private static readonly TimeSpan RampUp = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(10);

    // After the duration: room for every client to leave (SoakClient bounds each leave), then a hard stop.
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(SoakSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Duration + Overrun);
        AdminConnection admin;
        try
        {
            admin = await AdminConnection.ConnectAsync(settings.AdminSocket, deadline.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            Console.Error.WriteLine($"soak: cannot reach the admin socket {settings.AdminSocket}: {exception.Message}");
            return Violated;
        }

        await using (admin)
        {
            try
            {
                return await RunAsync(settings, admin, deadline.Token);
            }
            catch (Exception exception) when (exception is IOException or JsonException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"soak: the admin socket failed: {exception.Message}");
                return Violated;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"soak: stopped {Overrun.TotalSeconds} s after the duration: clients did not leave in time");
                return Violated;
            }
        }
    }

    private static async Task<int> RunAsync(SoakSettings settings, AdminConnection admin, CancellationToken deadline)
    {
        var roster = new SoakRoster();
        var pid = settings.ServerPid ?? admin.PeerProcessId();
        if (!await WaitForEmptyServerAsync(admin, deadline))
        {
            return Violated;
        }

        var before = await ServerFigures.ReadAsync(admin, pid, deadline);
        RunReport.Line($"soak: {settings.Clients} clients, {Format(settings.Rate)} messages/s (direct:broadcast:self {settings.Mix}), " +
                       $"mean lifetime {(settings.MeanLifetime == TimeSpan.Zero ? "the whole run" : $"{Format(settings.MeanLifetime.TotalSeconds)} s")}, " +
                       $"{Format(settings.Duration.TotalSeconds)} s; server pid {pid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}, rss {before.RssKiB?.ToString(CultureInfo.InvariantCulture) ?? "?"} KiB");

        var started = Stopwatch.GetTimestamp();
        var runEnd = started + RunClock.ToTicks(settings.Duration);
        var poller = new AdminPoller(admin, roster);
        using var stopBackground = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        var polling = poller.RunAsync(settings.PollInterval, stopBackground.Token);
        var maxRss = new long[] { before.RssKiB ?? 0 };
        var sampling = SampleAsync(settings, roster, pid, started, maxRss, stopBackground.Token);
        var rampUp = TimeSpan.FromTicks(Math.Min(RampUp.Ticks, settings.Duration.Ticks / 4));
        var slots = Enumerable.Range(0, settings.Clients)
            .Select(slot => SlotAsync(settings, roster, started + RunClock.ToTicks(rampUp * slot / settings.Clients), runEnd, deadline))
            .ToArray();
        await Task.WhenAll(slots);
        await stopBackground.CancelAsync();
        await polling;
        await sampling;

        // Every client is gone: the server must say so too.
        await poller.PollAsync(list: true, deadline);
        var after = await ServerFigures.ReadAsync(admin, pid, deadline);
        var seconds = RunReport.Seconds(Stopwatch.GetTimestamp() - started);
        return Finish(settings, roster, before, after, Math.Max(maxRss[0], after.RssKiB ?? 0), seconds);
    }

    // One place in the crowd: a client joins, stays its lifetime, leaves, and the next takes its place.
    private static async Task SlotAsync(SoakSettings settings, SoakRoster roster, long firstJoin, long runEnd, CancellationToken deadline)
    {
        await RunClock.DelayUntilAsync(firstJoin, deadline);
        var perClientRate = settings.Rate / settings.Clients;
        while (Stopwatch.GetTimestamp() < runEnd && !deadline.IsCancellationRequested)
        {
            var client = new SoakClient(roster);
            using (var joinTimeout = CancellationTokenSource.CreateLinkedTokenSource(deadline))
            {
                joinTimeout.CancelAfter(JoinTimeout);
                if (!await client.JoinAsync(settings.EndPoint, joinTimeout.Token))
                {
                    // Already recorded; wait a little rather than hammer a server that refuses.
                    await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                    continue;
                }
            }

            var leaveAt = runEnd;
            if (settings.MeanLifetime > TimeSpan.Zero)
            {
                var lifetime = -Math.Log(1 - Random.Shared.NextDouble()) * settings.MeanLifetime.TotalSeconds;
                leaveAt = Math.Min(runEnd, Stopwatch.GetTimestamp() + (long)(lifetime * Stopwatch.Frequency));
            }

            await client.RunAsync(leaveAt, perClientRate, settings.Mix, deadline);
        }
    }

    private static async Task<bool> WaitForEmptyServerAsync(AdminConnection admin, CancellationToken cancellationToken)
    {
        long users = 0;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var count = JsonDocument.Parse(await admin.AskAsync("num.users --json", cancellationToken));
            users = count.RootElement.GetProperty("users").GetInt64();
            if (users == 0)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        Console.Error.WriteLine($"soak: the server still has {users} users after 10 s; the soak counts users, so it needs the server to itself");
        return false;
    }

    private static async Task SampleAsync(SoakSettings settings, SoakRoster roster, int? pid, long started, long[] maxRss, CancellationToken stop)
    {
        for (var sample = 1; ; sample++)
        {
            try
            {
                await RunClock.DelayUntilAsync(started + RunClock.ToTicks(settings.SampleInterval * sample), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var rss = ProcessSample.TryRead(pid)?.RssKiB;
            maxRss[0] = Math.Max(maxRss[0], rss ?? 0);
            var totals = roster.Totals;
            RunReport.Line(string.Create(CultureInfo.InvariantCulture,
                $"sample t={RunReport.Seconds(Stopwatch.GetTimestamp() - started):F0}s users={roster.Bounds.Low} messages={totals.Messages} " +
                $"deliveries={totals.Deliveries} joins={totals.Joins} leaves={totals.Leaves} violations={roster.Violations.Count} " +
                $"server_rss_kib={rss?.ToString(CultureInfo.InvariantCulture) ?? "?"}"));
        }
    }

    private static int Finish(SoakSettings settings, SoakRoster roster, ServerFigures before, ServerFigures after, long maxRss, double seconds)
    {
        var totals = roster.Totals;
        var violations = roster.Violations;
        RunReport.Line($"violations: {violations.Count}");
        foreach (var message in violations.FirstMessages)
        {
            RunReport.Line($"  {message}");
        }

        RunReport.Line(string.Create(CultureInfo.InvariantCulture,
            $"result mode=soak clients={settings.Clients} seconds={seconds:F0} rate={settings.Rate:F0} messages={totals.Messages} " +
            $"deliveries={totals.Deliveries} notices={totals.Notices} joins={totals.Joins} leaves={totals.Leaves} polls={totals.Polls} " +
            $"violations={violations.Count} server_rss_start_kib={Kib(before.RssKiB)} server_rss_end_kib={Kib(after.RssKiB)} " +
            $"server_rss_max_kib={(maxRss > 0 ? maxRss.ToString(CultureInfo.InvariantCulture) : "?")} server_gc={after.CollectionsSince(before)} " +
            $"max_send_lag_ms={totals.MaxSendLag.TotalMilliseconds:F0} max_leave_ms={totals.MaxLeave.TotalMilliseconds:F0}"));
        return violations.Count > 0 ? Violated : Success;
    }

    private static string Kib(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
