using System.Globalization;
using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;

namespace Chat.Conform.Checks;

/// <summary>Order under pipelining, and deliveries queued before the echo (PROTOCOL.md §6).</summary>
internal static class OrderingChecks
{
    // Enough messages in one write that a server handling a read's frames in any other order shows it.
    private const int Pipelined = 300;

    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("echo-order", CheckLevel.Contract, ProtocolSections.Ordering,
            $"{Pipelined} messages sent in one write come back as {Pipelined} echoes, in the order sent", EchoOrderAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("delivery-order", CheckLevel.Contract, ProtocolSections.Ordering,
            $"{Pipelined} messages to one user, sent in one write, reach that user in the order sent", DeliveryOrderAsync)
        {
            Needs = ["direct-delivery"],
        };
        yield return new ConformanceCheck("delivery-before-echo", CheckLevel.Contract, ProtocolSections.Ordering,
            "once a sender holds its echo, the recipient's copy is already on its way", DeliveryBeforeEchoAsync)
        {
            Needs = ["direct-delivery"],
        };
    }

    private static async Task EchoOrderAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var sent = Numbered(0, "echo");
        await sender.SendRawAsync(Concatenate(sent), cancellationToken);
        await ExpectInOrderAsync(sender, sender, sent, "echo", cancellationToken);
    }

    private static async Task DeliveryOrderAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var recipient = await context.JoinAsync("user B", cancellationToken);
        var sent = Numbered(recipient.Id, "delivery");
        await sender.SendRawAsync(Concatenate(sent), cancellationToken);
        await ExpectInOrderAsync(sender, recipient, sent, "copy", cancellationToken);
    }

    private static async Task DeliveryBeforeEchoAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var recipient = await context.JoinAsync("user B", cancellationToken);
        for (var round = 1; round <= 3; round++)
        {
            var sent = new ChatMessage { To = recipient.Id, Msg = string.Create(CultureInfo.InvariantCulture, $"round {round}") };
            await CheckSteps.SendAndExpectEchoAsync(sender, sent, cancellationToken);

            // Only now does the recipient send to itself: its copy was queued before A's echo, so
            // before this message even left, and must come first.
            var before = await recipient.BarrierAsync(cancellationToken);
            if (!before.Any(message => message.Msg == sent.Msg))
            {
                throw new CheckFailedException($"{sender.Who} already held the echo of {MessageText.Describe(sent)}, yet " +
                    $"{recipient.Who} then sent a message to itself and got that echo back before the copy; the server must " +
                    "queue the copies for others before the sender's echo, so that an echo proves every copy is on its way");
            }
        }
    }

    private static List<ChatMessage> Numbered(long to, string kind) =>
        [.. Enumerable.Range(1, Pipelined).Select(index =>
            new ChatMessage { To = to, Msg = string.Create(CultureInfo.InvariantCulture, $"{kind} {index}") })];

    private static byte[] Concatenate(List<ChatMessage> messages) => [.. messages.SelectMany(RawFrames.Frame)];

    private static async Task ExpectInOrderAsync(
        ServerConnection sender, ServerConnection receiver, List<ChatMessage> sent, string what, CancellationToken cancellationToken)
    {
        for (var index = 0; index < sent.Count; index++)
        {
            var got = await receiver.ExpectMessageAsync(
                string.Create(CultureInfo.InvariantCulture, $"{what} number {index + 1} of {sent.Count} (sent in one write)"), cancellationToken);
            if (got.Msg != sent[index].Msg)
            {
                var position = sent.FindIndex(message => message.Msg == got.Msg);
                throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"{sender.Who} sent {sent.Count} messages in one write; {receiver.Who} expected {what} number {index + 1} " +
                    $"({MessageText.Quote(sent[index].Msg)}) but got {MessageText.Describe(got)}") +
                    (position >= 0 ? string.Create(CultureInfo.InvariantCulture, $", which was sent as number {position + 1}") : "") +
                    $"; what one sender sends arrives in the order it was sent, exactly once");
            }

            CheckSteps.ExpectStamped(sender, sent[index], got, receiver, what);
        }
    }
}
