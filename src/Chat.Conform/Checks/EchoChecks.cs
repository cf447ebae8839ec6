using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Conform.Checks;

/// <summary>The echo: every message comes back to its sender, stamped, exactly once (PROTOCOL.md §4).</summary>
internal static class EchoChecks
{
    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("echo", CheckLevel.Assignment, ProtocolSections.Conversation,
            "a ChatMessage comes back to its sender with from = the sender's id, to and msg unchanged", EchoAsync)
        {
            Needs = ["handshake-first"],
        };
        yield return new ConformanceCheck("from-not-trusted", CheckLevel.Contract, ProtocolSections.Conversation,
            "a from the client writes into its message is replaced by its real id", FromNotTrustedAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("echo-only", CheckLevel.Contract, ProtocolSections.Conversation,
            "to = 0 and to = the sender's own id give exactly one echo and reach nobody else", EchoOnlyAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("unknown-fields", CheckLevel.Contract, ProtocolSections.Defaults,
            "fields the protocol does not define in a client's message are ignored, not a reason to close", UnknownFieldsAsync)
        {
            Needs = ["echo"],
        };
    }

    private static async Task EchoAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        var sent = new ChatMessage { To = 0, Msg = "hello from chat-conform" };
        try
        {
            await CheckSteps.SendAndExpectEchoAsync(user, sent, cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            // The bytes themselves help a student whose server reads frames some other way.
            var frame = RawFrames.Frame(sent);
            throw new CheckFailedException($"{failure.Message}. The frame sent was {Hex.Format(frame, 32)}: the first byte is its " +
                $"varint length ({frame.Length - 1}), then the ChatMessage's bytes", failure);
        }
    }

    private static async Task FromNotTrustedAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        var forged = user.Id + 1000;
        var sent = new ChatMessage { From = forged, To = 0, Msg = "who am I?" };
        await user.SendAsync(sent, cancellationToken);
        var echo = await user.ExpectMessageAsync($"echo of {MessageText.Describe(sent)}", cancellationToken);
        if (echo.From == forged)
        {
            throw new CheckFailedException($"{user.Who} wrote from = {forged} into its message and the echo kept it " +
                $"({MessageText.Describe(echo)}); the server must stamp the sender's real id, {user.Id}, and never trust a client's from");
        }

        CheckSteps.ExpectStamped(user, sent, echo, user, "echo");
    }

    private static async Task EchoOnlyAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var sender = await context.JoinAsync("user A", cancellationToken);
        var other = await context.JoinAsync("user B", cancellationToken);
        await CheckSteps.SendAndExpectEchoAsync(sender, new ChatMessage { To = 0, Msg = "a note, to = 0" }, cancellationToken);
        await CheckSteps.SendAndExpectEchoAsync(sender, new ChatMessage { To = sender.Id, Msg = "a note to myself" }, cancellationToken);
        await CheckSteps.ExpectNothingMoreAsync(sender,
            "a message to 0 or to the sender's own id gives exactly one echo and nothing else", cancellationToken);
        await CheckSteps.ExpectNothingMoreAsync(other,
            $"{sender.Who} only wrote to 0 and to itself; such messages reach nobody else", cancellationToken);
    }

    private static async Task UnknownFieldsAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var user = await context.JoinAsync("user A", cancellationToken);
        var sent = new ChatMessage { To = 0, Msg = "with extras" };
        // ChatMessage{to:0, msg:"with extras"} plus field 9 (a varint, 1) and field 10 (a string, "x").
        byte[] extras = [0x48, 0x01, 0x52, 0x01, 0x78];
        await user.SendRawAsync(RawFrames.Frame([.. sent.ToByteArray(), .. extras]), cancellationToken);
        try
        {
            await CheckSteps.ExpectEchoAsync(user, sent, cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException($"{user.Who} sent {MessageText.Describe(sent)} with two fields the protocol does not " +
                $"define (numbers 9 and 10): {failure.Message}. Unknown fields are ignored, as protobuf parsers do", failure);
        }
    }
}
