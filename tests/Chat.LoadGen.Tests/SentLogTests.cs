using Chat.LoadGen.Soak;

namespace Chat.LoadGen.Tests;

public class SentLogTests
{
    private const long Sender = 7;

    [Fact]
    public void EchoesInOrderPass()
    {
        var log = LogWith(3);

        Assert.Null(log.OnEcho(0, 0));
        Assert.Null(log.OnEcho(1, 0));
        Assert.Null(log.OnEcho(2, 0));
        Assert.Equal(0, log.Outstanding);
    }

    [Fact]
    public void ASkippedEchoIsALoss()
    {
        var log = LogWith(3);
        Assert.Null(log.OnEcho(0, 0));

        Assert.Contains("echo 1 lost", log.OnEcho(2, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEchoTwiceIsADuplicate()
    {
        var log = LogWith(3);
        Assert.Null(log.OnEcho(0, 0));

        Assert.Contains("echo 0 duplicated", log.OnEcho(0, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEchoOfAMessageNeverSentIsAnError()
    {
        var log = LogWith(1);
        Assert.Null(log.OnEcho(0, 0));

        Assert.Contains("never sent", log.OnEcho(1, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEchoWithAnotherToIsAnError()
    {
        var log = LogWith(1);

        Assert.Contains("has to = 5", log.OnEcho(0, 5), StringComparison.Ordinal);
    }

    private static SentLog LogWith(int messages)
    {
        var log = new SentLog(Sender, new SoakClock());
        for (var index = 0; index < messages; index++)
        {
            log.Record(0);
        }

        return log;
    }
}
