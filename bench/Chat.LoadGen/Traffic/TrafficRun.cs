using System.Diagnostics;
using System.Globalization;

namespace Chat.LoadGen.Traffic;

/// <summary>
/// Runs where users write to each other rather than to themselves: direct messages between pairs
/// (<c>echo --traffic local|cross</c>, on one node or across the nodes of a cluster) and a broadcast
/// fan-out (<c>fanout</c>: a few senders, every other user receives). Every echo and every delivery is
/// checked (order, loss, duplication, stamp); the rate and the latency are those of deliveries; a
/// message stays in flight until its last copy has arrived; the run stops by itself, and a message
/// still not everywhere 10 s after the window is an error.
/// </summary>
internal static class TrafficRun
{
    // Readiness probes: time for every node to learn of every user of the run.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    // Frames here are short; a receive buffer this size takes many of them at once.
    private const int ReceiveBuffer = 16 * 1024;

    /// <summary>C clients in pairs, each sending to its partner with P in flight.</summary>
    public static Task<int> RunDirectAsync(RunSettings settings, TrafficPattern pattern, int pipeline, int size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var nodes = settings.EndPoints.Count;
        var shape = new RunShape(
            "echo",
            $"echo --traffic {TrafficPlan.Name(pattern)}: {settings.Connections} clients in pairs (partner on {(pattern == TrafficPattern.Local ? "the same node" : "another node")}) x {pipeline} in flight, {size}-byte msg",
            settings.Connections,
            index => settings.EndPoints[TrafficPlan.NodeOf(pattern, index, nodes)],
            IsSender: _ => true,
            Recipients: 1,
            Probe: nodes > 1,
            Operation: "message");
        return RunAsync(settings, shape, pipeline, size, (users, index) => users[TrafficPlan.PartnerOf(index)].Id, report =>
        {
            report.Add("traffic", TrafficPlan.Name(pattern));
            report.Add("c", settings.Connections.ToString(CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    /// <summary>S senders broadcast with P in flight each; R receivers (and the other senders) get every message.</summary>
    public static Task<int> RunFanoutAsync(RunSettings settings, int senders, int receivers, int pipeline, int size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var users = senders + receivers;
        var shape = new RunShape(
            "fanout",
            $"fanout: {senders} sender(s) to everyone, {receivers} receivers, {pipeline} broadcast(s) in flight per sender, {size}-byte msg",
            users,
            index => settings.EndPoints[(index < senders ? index : index - senders) % settings.EndPoints.Count],
            IsSender: index => index < senders,
            Recipients: users - 1,
            Probe: settings.EndPoints.Count > 1,
            Operation: "delivery");
        return RunAsync(settings, shape, pipeline, size, (_, _) => -1, report =>
        {
            report.Add("senders", senders.ToString(CultureInfo.InvariantCulture));
            report.Add("receivers", receivers.ToString(CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    private static async Task<int> RunAsync(
        RunSettings settings,
        RunShape shape,
        int pipeline,
        int size,
        Func<TrafficUser[], int, long> targetOf,
        Action<RunReport> describe,
        CancellationToken cancellationToken)
    {
        var report = new RunReport(shape.Mode);
        var errors = new RunErrors();
        var users = new TrafficUser[shape.Users];
        for (var index = 0; index < users.Length; index++)
        {
            users[index] = new TrafficUser(index, settings.Transport, errors, ReceiveBuffer);
        }

        RunReport.Line($"{shape.Title}, {settings.Warmup.TotalSeconds} s warm-up, {settings.Duration.TotalSeconds} s measured, {settings.Describe()}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = new List<Task>();
        try
        {
            await ParallelOpen.RunAsync(
                Enumerable.Range(0, users.Length),
                TimeSpan.FromSeconds(60),
                (index, token) => new ValueTask(users[index].ConnectAsync(shape.EndPointOf(index), token)),
                errors,
                cancellationToken);
            if (errors.Count > 0 || users.Any(user => !user.Connected))
            {
                RunReport.Line($"held: {users.Count(user => user.Connected)} of {users.Length} connections; not run");
                return report.Finish(errors, 0, 0, settings);
            }

            // The clock starts after the probes; the users need it before their first frame.
            var clock = new ProvisionalClock();
            var senders = new Dictionary<long, TrafficSender>();
            var ordered = new List<TrafficSender>();
            foreach (var user in users.Where(user => shape.IsSender(user.Index)))
            {
                var sender = new TrafficSender(user, ordered.Count, targetOf(users, user.Index), size, pipeline, shape.Recipients, clock.Clock, errors);
                user.Sender = sender;
                senders.Add(user.Id, sender);
                ordered.Add(sender);
            }

            foreach (var user in users)
            {
                user.Expect(senders, ordered.Count, clock.Clock);
                receiving.Add(Task.Run(() => user.ReceiveAsync(stop.Token), CancellationToken.None));
            }

            if (shape.Probe)
            {
                var started = Stopwatch.GetTimestamp();
                await Task.WhenAll(users.Where(user => user.Sender is not null).Select(user => user.ProbeAsync(ProbeTimeout, cancellationToken)));
                RunReport.Line($"ready: every recipient reachable after {RunReport.Format(RunReport.Seconds(Stopwatch.GetTimestamp() - started), 2)} s " +
                               $"({users.Sum(user => user.ProbeNotices)} probes answered 'not connected' before)");
                if (errors.Count > 0)
                {
                    return report.Finish(errors, 0, 0, settings);
                }
            }
            else
            {
                foreach (var user in users)
                {
                    user.NoProbes();
                }
            }

            var run = clock.Start(settings.Warmup, settings.Duration);
            foreach (var sender in ordered)
            {
                sender.RequestPump();
            }

            var window = await WindowSamples.TakeAsync(run, settings, cancellationToken);
            var drained = await DrainAsync(ordered, run, errors, cancellationToken);
            ReportUndelivered(users, ordered, errors);

            var latencies = new LatencyHistogram();
            var echoes = new LatencyHistogram();
            long measured = 0;
            foreach (var user in users)
            {
                latencies.Add(user.Latencies);
                measured += user.Measured;
            }

            foreach (var sender in ordered)
            {
                echoes.Add(sender.EchoLatencies);
            }

            var rate = measured / settings.Duration.TotalSeconds;
            var messages = ordered.Sum(sender => sender.Completed);
            RunReport.Line($"held: {users.Length} connections; {messages} messages sent and delivered everywhere{(drained ? string.Empty : " (not all: see errors)")}");
            if (shape.Mode == "fanout")
            {
                RunReport.Line($"deliveries/s: {RunReport.Format(rate, 0)} ({measured} deliveries checked in the window, {RunReport.Format(rate / shape.Recipients, 0)} broadcasts/s)");
            }
            else
            {
                RunReport.Line($"messages/s: {RunReport.Format(rate, 0)} ({measured} deliveries checked in the window)");
            }

            describe(report);
            report.Add("p", pipeline.ToString(CultureInfo.InvariantCulture));
            report.Add("s", size.ToString(CultureInfo.InvariantCulture));
            report.Transport(settings);
            report.Add("rate", rate, 0);
            if (shape.Mode == "fanout")
            {
                report.Add("broadcasts_per_s", rate / shape.Recipients, 1);
            }

            report.Add("messages", messages.ToString(CultureInfo.InvariantCulture));
            RunReport.Line("delivery latency, from send to arrival at the recipient:");
            report.Latency(latencies);
            report.Add("echo_p50_us", echoes.ValueAtPercentile(50) / 1000.0);
            report.Add("echo_p99_us", echoes.ValueAtPercentile(99) / 1000.0);
            report.CpuPerOperation(shape.Operation, window.OperationsAt(rate, measured), window);
            return report.Finish(errors, rate, latencies.ValueAtPercentile(99) / 1000.0, settings);
        }
        finally
        {
            foreach (var user in users)
            {
                user.Finishing = true;
            }

            await stop.CancelAsync();
            foreach (var user in users)
            {
                user.Dispose();
            }

            await Task.WhenAll(receiving);
        }
    }

    // After the window: waits until every message sent is everywhere it should be, or the deadline.
    private static async Task<bool> DrainAsync(List<TrafficSender> senders, RunClock clock, RunErrors errors, CancellationToken cancellationToken)
    {
        while (senders.Any(sender => sender.Completed < sender.Sent))
        {
            if (Stopwatch.GetTimestamp() >= clock.Deadline || errors.Count > 0)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }

        return true;
    }

    // Names who is missing what, for every sender whose last messages are not everywhere.
    private static void ReportUndelivered(TrafficUser[] users, List<TrafficSender> senders, RunErrors errors)
    {
        foreach (var sender in senders.Where(sender => sender.Completed < sender.Sent))
        {
            var behind = users.Where(user => user.Id != sender.Id && (sender.Target == -1 || sender.Target == user.Id) && user.ReceivedFrom(sender) < sender.Sent).ToList();
            errors.Add($"user {sender.Id}: sent {sender.Sent}, echoes {sender.NextEcho}, complete {sender.Completed}; " +
                       $"{behind.Count} recipient(s) behind{(behind.Count > 0 ? $", e.g. user {behind[0].Id} with {behind[0].ReceivedFrom(sender)}" : string.Empty)}");
        }
    }

    private sealed record RunShape(
        string Mode,
        string Title,
        int Users,
        Func<int, System.Net.IPEndPoint> EndPointOf,
        Func<int, bool> IsSender,
        int Recipients,
        bool Probe,
        string Operation);

    // The users need the run's clock from their first frame (probes come before it starts): a clock
    // whose window lies in the far future until Start places it.
    private sealed class ProvisionalClock
    {
        public RunClock Clock { get; } = new(TimeSpan.FromDays(365), TimeSpan.FromDays(1));

        public RunClock Start(TimeSpan warmup, TimeSpan duration)
        {
            Clock.Restart(warmup, duration);
            return Clock;
        }
    }
}
