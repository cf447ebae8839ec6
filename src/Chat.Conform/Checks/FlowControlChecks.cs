using System.Globalization;
using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;

namespace Chat.Conform.Checks;

/// <summary>
/// Clients that do not read: they never hold up anyone else, they are disconnected once the server's
/// bound for them is passed, and a client's own echoes only slow it down (PROTOCOL.md §7).
/// </summary>
internal static class FlowControlChecks
{
    private const int Megabyte = 1024 * 1024;

    // Past any sane per-connection bound plus the kernel's socket buffers (a few MB on Linux).
    private const int StallVolume = 8 * Megabyte;
    private const int SlowConsumerVolume = 16 * Megabyte;
    private const int FastSenderVolume = 12 * Megabyte;

    // A reader that never reads takes a tiny socket buffer, so that the server, not the kernel, holds what it is sent.
    private const int StalledReceiveBuffer = 4096;
    private const int FastSenderReceiveBuffer = 64 * 1024;

    // The fast sender reads nothing for this long (or until all is written), as a client busy sending would.
    private static readonly TimeSpan NotReadingFor = TimeSpan.FromSeconds(1);

    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("slow-reader", CheckLevel.Contract, ProtocolSections.SlowConsumers,
            "a user who stops reading while 8 MB are sent to it holds up neither the sender's echoes nor other users",
            SlowReaderAsync)
        {
            Needs = ["direct-delivery"],
        };
        yield return new ConformanceCheck("slow-consumer", CheckLevel.Contract, ProtocolSections.SlowConsumers,
            "a user who stops reading while 16 MB are sent to it is disconnected", SlowConsumerAsync)
        {
            Needs = ["direct-delivery"],
        };
        yield return new ConformanceCheck("fast-sender", CheckLevel.Contract, ProtocolSections.SlowConsumers,
            "a user who sends 12 MB before reading its echoes is slowed down, not disconnected, and gets every echo in order",
            FastSenderAsync)
        {
            Needs = ["echo-order"],
        };
    }

    private static async Task SlowReaderAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var other = await context.JoinAsync("user B", cancellationToken);
        var stalled = await context.JoinAsync("user S", cancellationToken, StalledReceiveBuffer);
        var sent = await PourAsync(context, sender, stalled, StallVolume, "user S never reads", cancellationToken);

        var after = new ChatMessage { To = other.Id, Msg = "after the flood" };
        try
        {
            await sender.SendAsync(after, cancellationToken);
            await ReadEchoAsync(sender, after.Msg, cancellationToken);
            var copy = await other.ExpectMessageAsync($"copy of {MessageText.Describe(after)}", cancellationToken);
            CheckSteps.ExpectStamped(sender, after, copy, other, "copy");
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException($"{sender.Who} sent {Megabytes(sent)} to {stalled.Who}, who never reads; then it wrote to " +
                $"{other.Who}: {failure.Message}. A client that does not read must not hold up anyone else", failure);
        }
    }

    private static async Task SlowConsumerAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var stalled = await context.JoinAsync("user S", cancellationToken, StalledReceiveBuffer);
        var sent = await PourAsync(context, sender, stalled, SlowConsumerVolume, "user S does not read", cancellationToken);

        // Now user S reads: what its socket still holds, then the end of the stream.
        var before = new List<byte[]>();
        if (!await stalled.WaitForCloseAsync(context.Timeout + context.Timeout, before, cancellationToken))
        {
            throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                $"{stalled.Who} read nothing while {sender.Who} sent it {Megabytes(sent)}; when it then read, it got {before.Count} frames and " +
                $"its connection stayed open. The server must bound what it holds for each connection and disconnect a client " +
                $"that stops reading past that bound (a slow consumer), instead of holding everything"));
        }
    }

    private static async Task FastSenderAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken, FastSenderReceiveBuffer);
        var text = new string('f', 4000);
        var count = FastSenderVolume / text.Length;
        var frames = Enumerable.Range(1, count)
            .Select(index => RawFrames.Frame(new ChatMessage { To = 0, Msg = Marker(index) + text }))
            .Chunk(50)
            .Select(batch => batch.SelectMany(frame => frame).ToArray())
            .ToList();

        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = Task.Run(async () =>
        {
            foreach (var batch in frames)
            {
                await sender.SendRawAsync(batch, stopWriting.Token, TimeSpan.FromSeconds(20));
            }
        }, stopWriting.Token);
        await Task.WhenAny(writing, Task.Delay(NotReadingFor, cancellationToken));

        try
        {
            for (var index = 1; index <= count; index++)
            {
                var echo = await sender.ExpectMessageAsync(
                    string.Create(CultureInfo.InvariantCulture, $"echo number {index} of {count}"), cancellationToken);
                if (!echo.Msg.StartsWith(Marker(index), StringComparison.Ordinal))
                {
                    throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                        $"echo number {index} of {count} was {MessageText.Describe(echo)}; echoes come back in order, every one"));
                }
            }

            await writing;
            await CheckSteps.ExpectNothingMoreAsync(sender, "every message got its one echo", cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            await stopWriting.CancelAsync();
            throw new CheckFailedException($"{sender.Who} sent {Megabytes(FastSenderVolume)} of messages to itself and only then read " +
                $"its echoes: {failure.Message}. A client that sends faster than it reads its echoes is slowed down (the server " +
                "stops reading from it until it catches up), never disconnected, and loses nothing", failure);
        }
        finally
        {
            await stopWriting.CancelAsync();
            await writing.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    // Sends about `volume` bytes to `target` in large messages, reading each echo before the next
    // (notices in between are allowed: the target may be gone). Returns the bytes sent.
    private static async Task<long> PourAsync(
        CheckContext context, ServerConnection sender, ServerConnection target, long volume, string why, CancellationToken cancellationToken)
    {
        var size = Math.Min(60_000, context.Settings.MaxFrameLength - 32);
        var padding = new string('s', size);
        long sent = 0;
        for (var index = 1; sent < volume; index++)
        {
            var message = new ChatMessage { To = target.Id, Msg = Marker(index) + padding };
            try
            {
                await sender.SendAsync(message, cancellationToken);
                await ReadEchoAsync(sender, message.Msg, cancellationToken);
            }
            catch (CheckFailedException failure)
            {
                throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"{why}; {sender.Who} had sent it {index - 1} messages ({Megabytes(sent)}), one echo at a time, when the next went wrong: " +
                    $"{failure.Message}. A client that does not read must never hold up the sender: the server may queue for it " +
                    $"(bounded) or disconnect it, but must not wait for it"), failure);
            }

            sent += message.Msg.Length;
        }

        return sent;
    }

    // Reads until the echo of msg; notices from the server on the way are fine (the recipient may be gone).
    private static async Task ReadEchoAsync(ServerConnection sender, string msg, CancellationToken cancellationToken)
    {
        var before = await sender.ReadUntilAsync(message => message.Msg == msg,
            $"echo of its message of {msg.Length:N0} characters", cancellationToken);
        var unexpected = before.FirstOrDefault(message => message.From != 0);
        if (unexpected is not null)
        {
            throw new CheckFailedException($"{sender.Who} got {MessageText.Describe(unexpected)} before its echo; it expected only its echo " +
                "(and perhaps a notice from the server)");
        }
    }

    private static string Marker(int index) => string.Create(CultureInfo.InvariantCulture, $"#{index:D6} ");

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)Megabyte:0.#} MB");
}
