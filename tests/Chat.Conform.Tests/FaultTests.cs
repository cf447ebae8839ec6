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
    /// <summary>Each check, with the faults that break the rule it tests.</summary>
    public static TheoryData<string, Fault> FaultsOfEachCheck => new()
    {
        { "handshake-first", Fault.NoHandshake },
        { "handshake-first", Fault.FourByteLengthPrefix },
        { "ids-differ", Fault.SameIdForEveryone },
        { "ids-not-reused", Fault.ReusesIds },
        { "echo", Fault.NoEcho },
        { "from-not-trusted", Fault.TrustsClientFrom },
        { "echo-only", Fault.EchoTwiceToSelf },
        { "unknown-fields", Fault.RejectsUnknownFields },
        { "delimited-frames", Fault.OneByteLengthPrefix },
        { "empty-frame", Fault.RejectsEmptyFrame },
        { "non-minimal-prefix", Fault.RejectsNonMinimalPrefix },
        { "frame-boundaries", Fault.OneFramePerRead },
        { "max-length", Fault.LimitOffByOne },
        { "refusal", Fault.NoRefusal },
        { "refusal-code", Fault.RefusalWithoutCode },
        { "refused-not-counted", Fault.CountsRefusedClients },
        { "direct-delivery", Fault.NoDelivery },
        { "broadcast", Fault.BroadcastToSenderToo },
        { "unknown-recipient", Fault.NoUnknownRecipientNotice },
        { "no-chatter", Fault.JoinNotices },
        { "echo-order", Fault.ReordersEchoes },
        { "delivery-order", Fault.ReordersDeliveries },
        { "delivery-before-echo", Fault.EchoBeforeDelivery },
        { "over-limit", Fault.WaitsForAnnouncedBody },
        { "long-prefix", Fault.AcceptsLongPrefix },
        { "prefix-over-32-bits", Fault.TruncatesPrefixTo32Bits },
        { "garbage-body", Fault.IgnoresBadBody },
        { "garbage-body", Fault.CrashesOnBadInput },
        { "invalid-utf8", Fault.AcceptsInvalidUtf8 },
        { "slow-reader", Fault.BlocksOnSlowReader },
        { "slow-consumer", Fault.UnboundedQueue },
        { "fast-sender", Fault.DropsFastSender },
        { "graceful-drain", Fault.ShutdownWithoutNotice },
        { "graceful-drain", Fault.ShutdownClosesAtOnce },
        { "graceful-drain", Fault.ShutdownAcceptsNewcomers },
    };

    public static TheoryData<string> EveryCheck => [.. ConformRun.CheckNames];

    [Theory]
    [MemberData(nameof(FaultsOfEachCheck))]
    public async Task CheckFailsOnAServerWithTheFaultThatBreaksItsRule(string check, Fault fault)
    {
        await using var server = FaultyServer.Start(fault, ConformRun.MaxUsers);

        var result = await ConformRun.CheckAsync(check, server.EndPoint, new FaultyServerProcess(server), ConformRun.FaultyServerTimeout);

        output.WriteLine(ConformRun.Describe(result));
        Assert.True(result.Status == CheckStatus.Failed, ConformRun.Describe(result));
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
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
