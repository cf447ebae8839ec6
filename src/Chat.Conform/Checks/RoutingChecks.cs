using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;

namespace Chat.Conform.Checks;

/// <summary>Where a message goes: one user, everyone, or nobody with a notice; and nothing unasked (PROTOCOL.md §4, §5).</summary>
internal static class RoutingChecks
{
    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("direct-delivery", CheckLevel.Contract, ProtocolSections.Conversation,
            "a message to another user's id reaches that user, stamped, and nobody else", DirectDeliveryAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("broadcast", CheckLevel.Contract, ProtocolSections.Conversation,
            "a message to -1 reaches every other user, and its sender once, as the echo", BroadcastAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("unknown-recipient", CheckLevel.Contract, ProtocolSections.Notices,
            "a message to an id nobody has (or below -1) gets its echo, then one notice from 0 to the sender", UnknownRecipientAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("no-chatter", CheckLevel.Contract, ProtocolSections.Notices,
            "users who come and go cause no frames to the others (no join or leave messages)", NoChatterAsync)
        {
            Needs = ["echo"],
        };
    }

    private static async Task DirectDeliveryAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var recipient = await context.JoinAsync("user B", cancellationToken);
        var bystander = await context.JoinAsync("user C", cancellationToken);
        var sent = new ChatMessage { To = recipient.Id, Msg = "just for you" };
        await CheckSteps.SendAndExpectEchoAsync(sender, sent, cancellationToken);

        var copy = await recipient.ExpectMessageAsync($"copy of {MessageText.Describe(sent)} from {sender.Who}", cancellationToken);
        CheckSteps.ExpectStamped(sender, sent, copy, recipient, "copy");
        await CheckSteps.ExpectNothingMoreAsync(recipient, "it was sent one message, once", cancellationToken);
        await CheckSteps.ExpectNothingMoreAsync(bystander, $"{sender.Who} wrote to {recipient.Who} only", cancellationToken);
        await CheckSteps.ExpectNothingMoreAsync(sender, "a sender gets one echo per message, nothing more", cancellationToken);
    }

    private static async Task BroadcastAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var others = new[] { await context.JoinAsync("user B", cancellationToken), await context.JoinAsync("user C", cancellationToken) };
        var sent = new ChatMessage { To = -1, Msg = "hello, everyone" };
        await CheckSteps.SendAndExpectEchoAsync(sender, sent, cancellationToken);
        foreach (var other in others)
        {
            var copy = await other.ExpectMessageAsync($"copy of the broadcast {MessageText.Describe(sent)} from {sender.Who}", cancellationToken);
            CheckSteps.ExpectStamped(sender, sent, copy, other, "copy");
        }

        await CheckSteps.ExpectNothingMoreAsync(sender,
            "the sender of a broadcast gets its message once, as the echo, not a second copy", cancellationToken);
    }

    private static async Task UnknownRecipientAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        foreach (var to in new[] { sender.Id + 1_000_000, -7 })
        {
            var sent = new ChatMessage { To = to, Msg = "anyone there?" };
            await CheckSteps.SendAndExpectEchoAsync(sender, sent, cancellationToken);
            var notice = await sender.ExpectMessageAsync(
                $"notice after the echo of {MessageText.Describe(sent)} (nobody has id {to}, so the server answers with a notice from 0)",
                cancellationToken);
            if (notice.From != 0 || notice.To != sender.Id || notice.Msg.Length == 0)
            {
                throw new CheckFailedException($"after the echo of {MessageText.Describe(sent)}, {sender.Who} got " +
                    $"{MessageText.Describe(notice)}; the notice about a missing recipient comes from 0, is addressed to the " +
                    $"sender ({sender.Id}) and says why in msg");
            }

            await CheckSteps.ExpectNothingMoreAsync(sender, $"a message to an unknown id gets one echo and one notice", cancellationToken);
        }
    }

    private static async Task NoChatterAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var watcher = await context.JoinAsync("user A", cancellationToken);
        var visitor = await context.JoinAsync("user B", cancellationToken);
        await visitor.DisposeAsync();
        var another = await context.JoinAsync("user C", cancellationToken);
        await another.BarrierAsync(cancellationToken);
        await another.DisposeAsync();
        // A second barrier on a fresh user gives the server time to see user C go before user A looks.
        var last = await context.JoinAsync("user D", cancellationToken);
        await last.BarrierAsync(cancellationToken);
        await CheckSteps.ExpectNothingMoreAsync(watcher,
            "other users only came and went; the server sends nothing unasked (no join or leave messages)", cancellationToken);
    }
}
