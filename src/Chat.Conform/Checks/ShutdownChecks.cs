using System.Globalization;
using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;

namespace Chat.Conform.Checks;

/// <summary>Graceful shutdown on SIGTERM: a notice, a drain that still serves, refusals, then the end (PROTOCOL.md §8).</summary>
internal static class ShutdownChecks
{
    private const int SentBeforeStop = 20;

    // The drain period is the operator's choice ("a few seconds"); past this much the server is stuck.
    private static readonly TimeSpan DrainAllowance = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitAllowance = TimeSpan.FromSeconds(10);

    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("graceful-drain", CheckLevel.Contract, ProtocolSections.Shutdown,
            "on SIGTERM (--server-pid) users get one notice, are still served, newcomers are refused with SHUTTING_DOWN, then " +
            "every connection closes and the process ends (this stops the server)", GracefulDrainAsync)
        {
            Needs = ["direct-delivery"],
            MaxDuration = TimeSpan.FromSeconds(60),
        };
    }

    private static async Task GracefulDrainAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var process = context.ServerProcess ?? throw new CheckSkippedException(
            "needs --server-pid PID (the server's process id): it stops the server with SIGTERM and watches the drain");
        var sender = await context.JoinAsync("user A", cancellationToken);
        var recipient = await context.JoinAsync("user B", cancellationToken);
        var sent = Enumerable.Range(1, SentBeforeStop)
            .Select(index => new ChatMessage { To = recipient.Id, Msg = string.Create(CultureInfo.InvariantCulture, $"before the stop {index}") })
            .ToList();
        await sender.SendRawAsync(sent.SelectMany(RawFrames.Frame).ToArray(), cancellationToken);
        await process.RequestStopAsync(cancellationToken);

        await ExpectNoticeAndMessagesAsync(sender, sender, sent, "echoes", cancellationToken);
        await ExpectNoticeAndMessagesAsync(recipient, sender, sent, "copies", cancellationToken);

        ServerConnection newcomer;
        try
        {
            newcomer = await context.ConnectAsync("a newcomer", cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException($"during the drain, {failure.Message}; the server keeps listening while it drains and " +
                "refuses newcomers with a Handshake (error = true, refusal = SHUTTING_DOWN)", failure);
        }

        var refusal = await newcomer.ReadHandshakeAsync(cancellationToken);
        if (!refusal.Error || refusal.Refusal != Refusal.ShuttingDown)
        {
            throw new CheckFailedException($"during the drain, a newcomer got {MessageText.Describe(refusal)}; a server that is " +
                "shutting down refuses newcomers with error = true and refusal = SHUTTING_DOWN (2)");
        }

        var during = new ChatMessage { To = recipient.Id, Msg = "during the drain" };
        try
        {
            await CheckSteps.SendAndExpectEchoAsync(sender, during, cancellationToken);
            CheckSteps.ExpectStamped(sender, during, await recipient.ExpectMessageAsync($"copy of {MessageText.Describe(during)}", cancellationToken),
                recipient, "copy");
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException($"after the shutdown notice: {failure.Message}. For the drain period the server keeps " +
                "serving its users: what they send is still echoed and delivered", failure);
        }

        foreach (var user in new[] { sender, recipient })
        {
            if (!await user.WaitForCloseAsync(DrainAllowance, [], cancellationToken))
            {
                throw new CheckFailedException($"{DrainAllowance.TotalSeconds:0} s after the shutdown notice, the connection of {user.Who} " +
                    "was still open; when the drain period is over the server closes every connection");
            }
        }

        if (!await process.WaitForExitAsync(ExitAllowance, cancellationToken))
        {
            throw new CheckFailedException($"the server closed every connection, but its process was still running " +
                $"{ExitAllowance.TotalSeconds:0} s later; after the drain the server exits");
        }
    }

    // Reads until the shutdown notice and every one of `sent` (echoes or copies, in order, on either side of the notice).
    private static async Task ExpectNoticeAndMessagesAsync(
        ServerConnection user, ServerConnection sender, List<ChatMessage> sent, string what, CancellationToken cancellationToken)
    {
        var notices = 0;
        var next = 0;
        while (notices == 0 || next < sent.Count)
        {
            var waitingFor = notices == 0 ? "shutdown notice (a ChatMessage from 0) after SIGTERM" : $"rest of the {what} of what {sender.Who} sent before the stop";
            ChatMessage message;
            try
            {
                message = await user.ExpectMessageAsync(waitingFor, cancellationToken);
            }
            catch (CheckFailedException failure)
            {
                throw new CheckFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"after SIGTERM, {user.Who} had {next} of the {sent.Count} {what} and {notices} notice(s): {failure.Message}. ") +
                    "On a graceful shutdown every user gets one notice and everything sent before it is still echoed and delivered",
                    failure);
            }

            if (message.From == 0)
            {
                notices++;
                if (message.To != user.Id)
                {
                    throw new CheckFailedException($"the shutdown notice to {user.Who} was {MessageText.Describe(message)}; a notice is " +
                        $"addressed to its user (to = {user.Id})");
                }

                continue;
            }

            if (next >= sent.Count || message.Msg != sent[next].Msg || message.From != sender.Id)
            {
                throw new CheckFailedException($"after SIGTERM, {user.Who} expected the {what} of {sender.Who}'s messages in order, but " +
                    $"got {MessageText.Describe(message)}");
            }

            next++;
        }
    }
}
