using Chat.Conform.Running;
using Chat.Conform.Tests.Faulty;
using Xunit.Abstractions;

namespace Chat.Conform.Tests;

/// <summary>
/// Every check fails on a server that breaks its rule, and passes on the same server without the
/// fault: a check that no fault can make fail is not a check.
/// </summary>
public class FaultTests(ITestOutputHelper output)
{
    /// <summary>Each check, with a fault that breaks the rule it tests and words its failure must contain.</summary>
    public static TheoryData<string, Fault, string> FaultsOfEachCheck => new()
    {
        { "handshake-first", Fault.NoHandshake, "no Handshake frame arrived" },
        { "handshake-first", Fault.FourByteLengthPrefix, "4-byte big-endian length" },
        { "ids-differ", Fault.SameIdForEveryone, "were both given id 1" },
        { "ids-not-reused", Fault.ReusesIds, "ids are never reused" },
        { "echo", Fault.NoEcho, "got no echo of" },
        { "from-not-trusted", Fault.TrustsClientFrom, "never trust a client's from" },
        { "echo-only", Fault.EchoTwiceToSelf, "gives exactly one echo and nothing else" },
        { "unknown-fields", Fault.RejectsUnknownFields, "Unknown fields are ignored" },
        { "delimited-frames", Fault.OneByteLengthPrefix, "two-byte varint length" },
        { "empty-frame", Fault.RejectsEmptyFrame, "sent the frame 00" },
        { "non-minimal-prefix", Fault.RejectsNonMinimalPrefix, "sent the frame 80 00" },
        { "frame-boundaries", Fault.OneFramePerRead, "TCP is a stream" },
        { "max-length", Fault.LimitOffByOne, "exactly the maximum length is allowed" },
        { "refusal", Fault.NoRefusal, "a newcomer was accepted" },
        { "refusal-code", Fault.RefusalWithoutCode, "SERVER_FULL (1)" },
        { "refused-not-counted", Fault.CountsRefusedClients, "never counts as a user" },
        { "direct-delivery", Fault.NoDelivery, "got no copy of" },
        { "broadcast", Fault.BroadcastToSenderToo, "not a second copy" },
        { "unknown-recipient", Fault.NoUnknownRecipientNotice, "got no notice after the echo" },
        { "no-chatter", Fault.JoinNotices, "no join or leave messages" },
        { "echo-order", Fault.ReordersEchoes, "which was sent as number" },
        { "delivery-order", Fault.ReordersDeliveries, "expected copy number 1" },
        { "delivery-before-echo", Fault.EchoBeforeDelivery, "before the sender's echo" },
        { "over-limit", Fault.WaitsForAnnouncedBody, "without waiting for, reading or allocating" },
        { "long-prefix", Fault.AcceptsLongPrefix, "a prefix is at most 5 bytes" },
        { "prefix-over-32-bits", Fault.TruncatesPrefixTo32Bits, "must fit 32 bits" },
        { "garbage-body", Fault.IgnoresBadBody, "its connection was still open" },
        { "garbage-body", Fault.CrashesOnBadInput, "closes only the connection that made it" },
        { "invalid-utf8", Fault.AcceptsInvalidUtf8, "must be valid UTF-8" },
        { "slow-reader", Fault.BlocksOnSlowReader, "must never hold up the sender" },
        { "slow-consumer", Fault.UnboundedQueue, "disconnect a client that stops reading" },
        { "fast-sender", Fault.DropsFastSender, "never disconnected" },
        { "graceful-drain", Fault.ShutdownWithoutNotice, "and 0 notice(s)" },
        { "graceful-drain", Fault.ShutdownClosesAtOnce, "closed the connection" },
        { "graceful-drain", Fault.ShutdownAcceptsNewcomers, "refusal = SHUTTING_DOWN" },
    };

    public static TheoryData<string> EveryCheck => [.. ConformRun.CheckNames];

    [Theory]
    [MemberData(nameof(FaultsOfEachCheck))]
    public async Task CheckFailsOnAServerWithTheFaultThatBreaksItsRule(string check, Fault fault, string said)
    {
        await using var server = FaultyServer.Start(fault, ConformRun.MaxUsers);

        var result = await ConformRun.CheckAsync(check, server.EndPoint, new FaultyServerProcess(server), ConformRun.FaultyServerTimeout);

        output.WriteLine(ConformRun.Describe(result));
        Assert.True(result.Status == CheckStatus.Failed, ConformRun.Describe(result));
        Assert.Contains(said, result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryCheck))]
    public async Task CheckPassesOnTheSameServerWithoutAFault(string check)
    {
        await using var server = FaultyServer.Start(Fault.None, ConformRun.MaxUsers);

        var result = await ConformRun.CheckAsync(check, server.EndPoint, new FaultyServerProcess(server), ConformRun.OurServerTimeout);

        Assert.True(result.Status == CheckStatus.Passed, ConformRun.Describe(result));
    }

    [Fact]
    public void EveryCheckHasAFaultThatMakesItFail()
    {
        var covered = FaultsOfEachCheck.Select(row => (string)row[0]).ToHashSet();

        var uncovered = ConformRun.CheckNames.Where(check => !covered.Contains(check)).ToList();
        Assert.True(uncovered.Count == 0, $"no fault makes these checks fail: {string.Join(", ", uncovered)}");
    }
}
