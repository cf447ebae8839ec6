using System.Diagnostics;
using Chat.Conform.Running;
using Chat.Conform.Tests.Faulty;

namespace Chat.Conform.Tests;

/// <summary>
/// Servers broken from their first byte: the whole contract level ends in time with FAIL lines that
/// say what was seen, never a hang or a crash of the tool.
/// </summary>
public class RobustnessTests
{
    // Far below the sum of every check's own bound: a hang anywhere would blow it.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    public static TheoryData<Fault, string> BrokenServers => new()
    {
        { Fault.NoHandshake, "no Handshake frame arrived" },
        { Fault.TextInsteadOfHandshake, "the server sent text (\"HELLO, you are user 1\\n\")" },
        { Fault.ClosesAtOnce, "closed the connection of user A without sending a Handshake" },
        { Fault.AnnouncesTwoGigabyteFrame, "frame length 2147483648" },
        { Fault.FourByteLengthPrefix, "look like a 4-byte big-endian length" },
        { Fault.FloodsFrames, "msg: \"flood\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenServers))]
    public async Task ContractLevelEndsInTimeWithFailuresThatSayWhatWasSeen(Fault fault, string said)
    {
        await using var server = FaultyServer.Start(fault, ConformRun.MaxUsers);
        var clock = Stopwatch.StartNew();

        var report = await ConformRun.LevelAsync(CheckLevel.Contract, server.EndPoint, new FaultyServerProcess(server), ConformRun.FaultyServerTimeout);

        Assert.True(clock.Elapsed < Budget, $"the run took {clock.Elapsed}");
        Assert.True(report.Failed > 0);
        Assert.All(report.Results.Where(result => result.Status != CheckStatus.Passed),
            result => Assert.False(string.IsNullOrWhiteSpace(result.Detail), result.Check.Name));
        Assert.Contains(report.Results, result => result.Status == CheckStatus.Failed && result.Detail.Contains(said, StringComparison.Ordinal));
    }
}
