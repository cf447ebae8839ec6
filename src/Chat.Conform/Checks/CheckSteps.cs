using Chat.Conform.Running;
using Chat.Conform.Wire;
using Chat.Protocol;

namespace Chat.Conform.Checks;

/// <summary>Steps many checks share: send and expect the echo, prove nothing else arrived, play a protocol violation.</summary>
internal static class CheckSteps
{
    /// <summary>Sends <paramref name="sent"/> and expects its echo as the very next frame.</summary>
    public static async Task<ChatMessage> SendAndExpectEchoAsync(ServerConnection user, ChatMessage sent, CancellationToken cancellationToken)
    {
        await user.SendAsync(sent, cancellationToken);
        return await ExpectEchoAsync(user, sent, cancellationToken);
    }

    /// <summary>The next frame must be the echo of <paramref name="sent"/>, stamped with the sender's id.</summary>
    public static async Task<ChatMessage> ExpectEchoAsync(ServerConnection user, ChatMessage sent, CancellationToken cancellationToken)
    {
        var echo = await user.ExpectMessageAsync($"echo of {MessageText.Describe(sent)}", cancellationToken);
        ExpectStamped(user, sent, echo, user, "echo");
        return echo;
    }

    /// <summary><paramref name="got"/> must be <paramref name="sent"/> with from = the sender's id, to and msg unchanged.</summary>
    public static void ExpectStamped(ServerConnection sender, ChatMessage sent, ChatMessage got, ServerConnection receiver, string what)
    {
        if (got.To != sent.To || got.Msg != sent.Msg)
        {
            throw new CheckFailedException($"{receiver.Who} expected the {what} of {MessageText.Describe(sent)} but got " +
                $"{MessageText.Describe(got)}; the server passes to and msg on unchanged");
        }

        if (got.From != sender.Id)
        {
            throw new CheckFailedException($"{receiver.Who} got the {what} of {MessageText.Describe(sent)} as " +
                $"{MessageText.Describe(got)}: from must be the sender's id, {sender.Id}");
        }
    }

    /// <summary>Proves with a barrier that nothing else was due to <paramref name="user"/>; <paramref name="why"/> says why nothing should be.</summary>
    public static async Task ExpectNothingMoreAsync(ServerConnection user, string why, CancellationToken cancellationToken)
    {
        var extra = await user.BarrierAsync(cancellationToken);
        if (extra.Count > 0)
        {
            throw new CheckFailedException($"{user.Who} got {MessageText.DescribeAll(extra)}, but {why}");
        }
    }

    /// <summary>
    /// A protocol violation (PROTOCOL.md, "Transport and framing"): an offender sends <paramref name="bytes"/>
    /// and must be closed, after at most one notice; a bystander keeps chatting, and a newcomer is let in.
    /// <paramref name="what"/> says the bytes in words ("a length prefix announcing 65,537 bytes");
    /// <paramref name="rule"/> says what the server should have done, for when it did not.
    /// </summary>
    public static async Task ExpectViolationClosesOnlyThatConnectionAsync(
        CheckContext context, byte[] bytes, string what, string rule, CancellationToken cancellationToken)
    {
        var bystander = await context.JoinAsync("user A", cancellationToken);
        var offender = await context.JoinAsync("user B", cancellationToken);
        await offender.SendRawAsync(bytes, cancellationToken);

        var before = new List<byte[]>();
        var closed = await offender.WaitForCloseAsync(context.Timeout, before, cancellationToken);
        if (!closed)
        {
            throw new CheckFailedException($"{offender.Who} sent {what} ({Hex.Format(bytes, 12)}), and after " +
                $"{ServerConnection.Seconds(context.Timeout)} its connection was still open; {rule}");
        }

        if (before.Count > 1 || (before.Count == 1 && !IsNotice(before[0])))
        {
            throw new CheckFailedException($"{offender.Who} sent {what}; before closing, the server sent it {before.Count} frame(s) " +
                $"({Hex.Format(before[0], 12)}); it may send one notice (a ChatMessage from 0) with the reason, and nothing else");
        }

        try
        {
            await SendAndExpectEchoAsync(bystander, new ChatMessage { To = 0, Msg = "still here" }, cancellationToken);
            await context.JoinAsync("user C", cancellationToken);
        }
        catch (CheckFailedException failure)
        {
            throw new CheckFailedException($"after {offender.Who} sent {what} and was closed, other users suffered: {failure.Message}. " +
                "A violation closes only the connection that made it", failure);
        }
    }

    private static bool IsNotice(byte[] body)
    {
        try
        {
            return ChatMessage.Parser.ParseFrom(body).From == 0;
        }
        catch (Exception exception) when (exception is Google.Protobuf.InvalidProtocolBufferException or System.Text.DecoderFallbackException)
        {
            return false;
        }
    }
}
